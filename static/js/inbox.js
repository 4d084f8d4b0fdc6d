// The staff inbox: join the stations in view, announce each new request with a chime.
const script = document.getElementById("inbox-script");
const stations = (script.dataset.stations || "").split(",").filter(Boolean).map(Number);
const box = document.getElementById("new-requests");
const status = document.querySelector("[data-testid=live-status]");
const zh = document.documentElement.lang !== "en";

function chime() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.setValueAtTime(0.2, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.6);
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.6);
  } catch (e) { /* no audio device: the banner still shows */ }
}

const onlyStation = Number(script.dataset.station) || null;
let sinceRequest = Number(script.dataset.sinceRequest || 0);
const socket = io({ transports: ["websocket"] });  // one process may not hold a polling session
socket.on("connect", () => {
  let joined = 0;
  const done = () => {
    joined += 1;
    if (joined < stations.length) return;
    status.textContent = zh ? "实时更新已连接" : "Live updates on";
    // The join answers what was filed since the page was rendered (or the connection lost).
    socket.emit("catch_up", { since_request: sinceRequest, station_id: onlyStation }, (reply) => {
      if (reply && reply.ok) (reply.requests || []).forEach(announce);
    });
  };
  if (!stations.length) done();
  stations.forEach((id) => socket.emit("watch_station", { station_id: id }, done));
});
socket.on("disconnect", () => { status.textContent = zh ? "实时更新已断开，正在重连…" : "Live updates lost, reconnecting…"; });
socket.on("new_request", announce);

function announce(r) {
  if (onlyStation && r.station_id && r.station_id !== onlyStation) return;
  sinceRequest = Math.max(sinceRequest, r.id);
  if (box.querySelector(`[data-request-id="${r.id}"]`) || document.querySelector(`tr[data-request-id="${r.id}"]`)) return;
  const p = document.createElement("p");
  p.dataset.requestId = r.id;
  p.className = "flash";
  p.dataset.ticket = r.ticket;
  const link = document.createElement("a");
  link.href = `/staff/requests/${r.id}`;
  link.textContent = `${zh ? "新需求" : "New request"} ${r.ticket}: ${r.name} · ${r.category} · ${r.service_item}`;
  p.append(link);
  box.prepend(p);
  chime();
}
