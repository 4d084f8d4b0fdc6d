// What the kiosk pages share: the paired device (kept in localStorage with the station's public
// profile), the station, who is on duty, the server clock's offset and the screen on show.
import { localParts } from "./station.js";

const TOKEN_KEY = "leifeng.kiosk.device";

export const $ = (sel) => document.querySelector(sel);
export const config = JSON.parse(document.getElementById("kiosk-config").textContent);

export const state = {
  device: loadDevice(),
  station: null,
  onDuty: null,
  idleSeconds: config.idle_seconds || 60,
  skewMs: 0,
  screen: "boot",
  shownEventId: null,   // the scan on the result screen while it waits for the server
  offline: !navigator.onLine,
  waiting: 0,
  held: 0,
  socket: null,
  features: ["scan"],
};

function loadDevice() {
  try {
    const d = JSON.parse(localStorage.getItem(TOKEN_KEY) || "null");
    return d && d.device_token ? d : null;
  } catch (e) { return null; }
}

// The token, and the station's public profile (its name board, hours, services: nothing personal)
// so that a kiosk rebooted during an outage still shows its station.
export function saveDevice(d) {
  state.device = d;
  if (d) {
    localStorage.setItem(TOKEN_KEY, JSON.stringify({ device_token: d.device_token, station_id: d.station_id,
      station: d.station || null, features: d.features || null }));
  } else localStorage.removeItem(TOKEN_KEY);
}

// Station-local now (Asia/Shanghai), corrected by the server's clock.
export function stationNow(date) {
  return localParts(date || new Date(Date.now() + state.skewMs));
}

export function hm(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? "" : stationNow(d).hm;
}
