// The live dashboard: station rows follow their on-duty pushes (worst first, counts by state), and new
// alerts join their station's group without a reload; the join catches up on what came since the render.
const zh = document.documentElement.lang !== "en";
const table = document.querySelector("[data-testid=dashboard]");
const rows = [...table.querySelectorAll("tr[data-station-id]")];
const byId = new Map(rows.map((r) => [Number(r.dataset.stationId), r]));
const status = document.querySelector("[data-testid=live-status]");
const list = document.querySelector("[data-testid=alerts]");
const words = JSON.parse(document.getElementById("state-words").textContent);
const kinds = JSON.parse(document.getElementById("alert-kinds").textContent);
const SEVERITY = ["red", "amber", "green", "grey"];
const stateFilter = table.dataset.stateFilter;
let sinceAlert = Number(list.dataset.sinceAlert || 0);
const word = (pair) => (zh ? pair[0] : pair[1]);

const socket = io({ transports: ["websocket"] });  // one process may not hold a polling session
socket.on("connect", () => {
  let joined = 0;
  const done = () => {
    joined += 1;
    if (joined < rows.length) return;
    status.textContent = zh ? "实时更新已连接" : "Live updates on";
    catchUp();  // what came between the render (or a lost connection) and the joins
  };
  if (!rows.length) done();
  rows.forEach((row) => socket.emit("watch_station", { station_id: Number(row.dataset.stationId) }, (reply) => {
    if (reply && reply.ok && reply.on_duty) show(reply.on_duty); // the state as of joining
    done();
  }));
});
socket.on("disconnect", () => { status.textContent = zh ? "实时更新已断开，正在重连…" : "Live updates lost, reconnecting…"; });
socket.on("on_duty", show);
socket.on("alert", catchUp);

function catchUp() {
  socket.emit("catch_up", { since_alert: sinceAlert }, (reply) => {
    if (reply && reply.ok) (reply.alerts || []).forEach(addAlert);
  });
}

function show(msg) {
  const row = byId.get(msg.station_id);
  if (!row || !msg.status) return;
  const before = row.dataset.status;
  row.querySelector("[data-testid=on-duty]").textContent = msg.count;
  if (before === msg.status) return;
  row.dataset.status = msg.status;
  row.className = `status-${msg.status}`;
  row.querySelector("[data-testid=status-dot]").className = `dot ${msg.status}`;
  row.querySelector("[data-testid=status-word]").textContent = word(words[msg.status]);
  row.hidden = Boolean(stateFilter) && msg.status !== stateFilter;
  bump(`[data-count=${before}]`, -1);
  bump(`[data-count=${msg.status}]`, 1);
  resort();
}

function bump(selector, by) {
  const box = document.querySelector(selector);
  if (box) box.textContent = Number(box.textContent) + by;
}

function resort() {  // worst first, then more alerts, then the server's order
  const key = (r) => [SEVERITY.indexOf(r.dataset.status), -Number(r.dataset.alerts), Number(r.dataset.order)];
  const sorted = [...rows].sort((a, b) => {
    const ka = key(a), kb = key(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
  });
  const body = table.tBodies[0];
  sorted.forEach((r) => body.append(r));
}

function addAlert(a) {
  sinceAlert = Math.max(sinceAlert, a.id);
  const row = byId.get(a.station_id);
  if (!row || list.querySelector(`[data-alert-id="${a.id}"]`)) return;  // another view's station, or already shown
  let group = list.querySelector(`[data-alert-group="${a.station_id}"]`);
  if (!group) {
    group = document.getElementById("alert-group-template").content.firstElementChild.cloneNode(true);
    group.dataset.alertGroup = a.station_id;
    group.querySelector("[data-group-name]").textContent = a.station;
    list.prepend(group);
  }
  const item = document.getElementById("alert-item-template").content.firstElementChild.cloneNode(true);
  item.dataset.alertId = a.id;
  const tick = item.querySelector("input");
  tick.value = a.id;
  tick.id = `alert-${a.id}`;
  item.querySelector("label").htmlFor = tick.id;
  const pill = item.querySelector(".badge-pill");
  pill.classList.add(a.level === "alert" ? "pill-alert" : "pill-warn");
  pill.textContent = kinds[a.kind] ? word(kinds[a.kind]) : a.kind;
  item.querySelector("[data-alert-message]").textContent = a.message;
  item.querySelector("[data-alert-date]").textContent = a.local_date;
  group.querySelector("ul").prepend(item);
  group.querySelector("[data-group-count]").textContent = group.querySelectorAll("[data-alert-id]").length;
  bump("[data-testid=alert-total]", 1);
  document.querySelector("[data-testid=no-alerts]").hidden = true;
  document.querySelector("[data-testid=new-alerts]").textContent = zh ? `新告警：${a.station}` : `New alert: ${a.station}`;
  row.dataset.alerts = Number(row.dataset.alerts) + 1;
  const count = row.querySelector("[data-testid=alert-count]");
  count.textContent = row.dataset.alerts;
  count.hidden = false;
}

// Ticking: all, or a station's group, with one note for every alert ticked.
document.addEventListener("change", (e) => {
  const box = e.target;
  if (box.dataset.select === "all") {
    list.querySelectorAll("[data-testid=alert-tick]").forEach((t) => { t.checked = box.checked; });
  } else if (box.dataset.select === "group") {
    box.closest("[data-alert-group]").querySelectorAll("[data-testid=alert-tick]").forEach((t) => { t.checked = box.checked; });
  }
});
