// The live dashboard: every station row follows its on-duty pushes without a reload.
const rows = [...document.querySelectorAll("[data-testid=dashboard] tr[data-station-id]")];
const status = document.querySelector("[data-testid=live-status]");
const zh = document.documentElement.lang !== "en";
const socket = io({ transports: ["websocket"] });  // one process may not hold a polling session

socket.on("connect", () => {
  let joined = 0;
  rows.forEach((row) => socket.emit("watch_station", { station_id: Number(row.dataset.stationId) }, (reply) => {
    if (reply && reply.ok && reply.on_duty) show(reply.on_duty); // the state as of joining
    joined += 1;
    if (joined === rows.length) status.textContent = zh ? "实时更新已连接" : "Live updates on";
  }));
});
socket.on("disconnect", () => { status.textContent = zh ? "实时更新已断开，正在重连…" : "Live updates lost, reconnecting…"; });
socket.on("on_duty", show);

function show(msg) {
  const row = document.querySelector(`[data-testid=dashboard] tr[data-station-id="${msg.station_id}"]`);
  if (!row) return;
  row.querySelector("[data-testid=on-duty]").textContent = msg.count;
  row.dataset.status = msg.status;
  row.className = `status-${msg.status}`;
  row.querySelector("[data-testid=status-dot]").className = `dot ${msg.status}`;
  recount();
}

function recount() {
  for (const box of document.querySelectorAll("[data-count]")) {
    box.textContent = rows.filter((r) => r.dataset.status === box.dataset.count).length;
  }
}
socket.on("alert", () => { status.textContent = zh ? "有新的告警，请刷新查看" : "New alerts: reload to see them"; });
