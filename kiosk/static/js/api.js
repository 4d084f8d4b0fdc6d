// The kiosk API over fetch: the device token as Bearer, JSON both ways, failures sorted by kind
// (network, server, client, revoked) for the callers to decide what the person sees.
import { state } from "./state.js";

export class ApiFailure extends Error {
  constructor(kind, status, data, retryAfterMs) {
    super(kind); this.kind = kind; this.status = status; this.data = data; this.retryAfterMs = retryAfterMs;
  }
}

let revoked = () => {};

// What to do when the server no longer knows this kiosk's token (main.js: back to pairing).
export function onRevoked(fn) { revoked = fn; }

// Retry-After in seconds or as an HTTP date, in milliseconds from now; null when absent.
function retryAfter(res) {
  const v = res.headers.get("Retry-After");
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return +v * 1000;
  const at = Date.parse(v);
  return isNaN(at) ? null : Math.max(0, at - Date.now());
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (state.device) headers.Authorization = "Bearer " + state.device.device_token;
  let res;
  try {
    res = await fetch(path, { method, headers, cache: "no-store", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout ? AbortSignal.timeout(15000) : undefined });
  } catch (e) {
    throw new ApiFailure("network", 0, null);
  }
  let data = null;
  try { data = await res.json(); } catch (e) { /* not JSON */ }
  if (res.status === 401 && state.device) { revoked(); throw new ApiFailure("revoked", 401, data); }
  if (!res.ok) throw new ApiFailure(res.status >= 500 || res.status === 429 ? "server" : "client", res.status, data, retryAfter(res));
  return data;
}
