// Sending the scan queue. Every scan waits in IndexedDB (queue.js) until the server has answered
// for it. A call that fails as a whole is split in halves until the event behind it is found, so
// one event the server cannot take (a 400, or a server error it alone keeps causing) is set aside
// (kept, shown on the staff view, retried now and then) and never blocks the rest. Scans of a
// station this kiosk is no longer paired to are kept and shown, never sent with the wrong
// station's token and never dropped. 503/429 answers are retried after their Retry-After.
import * as queue from "./queue.js";

const BATCH = 500;               // the server's MAX_SCANS_PER_CALL
const SET_ASIDE_AFTER = 3;       // lone server errors, with the server seen working, before setting aside
const HELD_RETRY_MS = 15 * 60 * 1000;
const MAX_BACKOFF_MS = 60000;

// A set that forgets its oldest entries: ids of results already shown.
export class RecentSet {
  constructor(limit) { this.limit = limit; this.items = new Set(); }
  add(x) {
    this.items.delete(x);
    this.items.add(x);
    while (this.items.size > this.limit) this.items.delete(this.items.values().next().value);
    return this;
  }
  has(x) { return this.items.has(x); }
  get size() { return this.items.size; }
}

function sendable(ev) { return { id: ev.id, token: ev.token, scanned_at: ev.scanned_at }; }

// hooks: api(method, path, body), device() -> {device_token, station_id} | null,
// results(list) when the server answered, problem(event, kind) when the shown scan is still not
// sent ("network" | "server"), changed({waiting, held}, heard) after every pass, heard being
// "offline" or "online" when the pass learnt it.
export function createSender(hooks) {
  let flushing = false, again = false, timer = null, backoffMs = 0, notBefore = 0, answered = false;
  const status = { waiting: 0, held: [] };

  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(() => flush(), Math.max(0, ms));
  }

  function backoff() {
    backoffMs = Math.min(backoffMs ? backoffMs * 2 : 1000, MAX_BACKOFF_MS);
    return backoffMs * (0.75 + Math.random() * 0.5);
  }

  async function setAside(ev, reason, error) {
    ev.held = { reason, at: new Date().toISOString(), status: error ? error.status : null,
                message: error && error.data && error.data.error ? error.data.error.message : null,
                message_en: error && error.data && error.data.error ? error.data.error.message_en : null };
    ev.next_try = Date.now() + HELD_RETRY_MS;
    ev.fails = 0;
    await queue.put(ev);
  }

  // The calls to make, in scan order: runs of plain events in batches, each suspect on its own.
  function plan(events) {
    const calls = [];
    let run = [];
    for (const ev of events) {
      if (ev.fails || ev.held) {
        if (run.length) calls.push(run);
        run = [];
        calls.push([ev]);
      } else {
        run.push(ev);
        if (run.length === BATCH) { calls.push(run); run = []; }
      }
    }
    if (run.length) calls.push(run);
    return calls;
  }

  // One pass over the due events: "done", or why it stopped early and when to come back.
  async function pass(retryHeld) {
    const device = hooks.device();
    if (!device || !device.station_id) return { stop: "unpaired" };
    const now = Date.now();
    const due = [];
    for (const ev of await queue.all()) {
      if (ev.station_id !== device.station_id) {
        // Another station's scan (the kiosk was paired anew): kept and shown, never sent here.
        if (!ev.held || ev.held.reason !== "other_station") await setAside(ev, "other_station", null);
        continue;
      }
      if (ev.held && ev.held.reason === "other_station") { delete ev.held; await queue.put(ev); }
      if (ev.held && !retryHeld && ev.next_try > now) continue;
      due.push(ev);
    }
    const work = plan(due);
    const lone = [];                 // events that failed alone with a server error in this pass
    let succeeded = false, failures = 0;
    answered = false;
    const budget = 2 * (Math.ceil(Math.log2(due.length + 1)) + 1);
    while (work.length) {
      const batch = work.shift();
      let data;
      try {
        data = await hooks.api("POST", "/api/kiosk/scans", { events: batch.map(sendable) });
      } catch (e) {
        if (e.kind !== "network") answered = true;
        if (e.kind === "revoked") return { stop: "unpaired" };
        if (e.kind === "network") { hooks.problem(batch, "network"); return { stop: "network" }; }
        if (e.status === 503 || e.status === 429) {
          hooks.problem(batch, "server");
          return { stop: "busy", retryAfterMs: e.retryAfterMs };
        }
        failures++;
        if (batch.length > 1) {                       // find the event behind it
          const mid = Math.ceil(batch.length / 2);
          work.unshift(batch.slice(0, mid), batch.slice(mid));
        } else if (e.status >= 400 && e.status < 500) {
          await setAside(batch[0], "refused", e);     // the server says this event is malformed
        } else {
          lone.push([batch[0], e]);
          hooks.problem(batch, "server");
        }
        if (!succeeded && failures > budget) break;   // the server fails for everything: wait
        continue;
      }
      succeeded = answered = true;
      backoffMs = 0;
      const results = data.results || [];
      await queue.remove(batch.map((b) => b.id));
      hooks.results(results);
    }
    if (lone.length) {
      // A lone failure counts against its event only while the server is seen to work.
      const working = succeeded || await hooks.api("GET", "/api/kiosk/station").then(() => true, () => false);
      for (const [ev, e] of lone) {
        if (ev.held) { await setAside(ev, ev.held.reason === "refused" ? "refused" : "server", e); continue; }
        if (!working) continue;
        ev.fails = (ev.fails || 0) + 1;
        if (ev.fails >= SET_ASIDE_AFTER) await setAside(ev, "server", e);
        else await queue.put(ev);
      }
      return { stop: "server" };
    }
    if (work.length) return { stop: "server" };
    return { stop: null };
  }

  async function refresh(heard = null) {
    try {
      const device = hooks.device();
      const all = await queue.all();
      status.held = all.filter((ev) => ev.held || (device && ev.station_id !== device.station_id));
      status.waiting = all.length - status.held.length;
    } catch (e) { /* keep the last count */ }
    hooks.changed(status, heard);
    return status;
  }

  // Send what waits. force: now, even before a Retry-After has passed (a staff tap, a new scan is
  // not a reason); retryHeld: the set-aside events too.
  async function flush({ force = false, retryHeld = false } = {}) {
    if (!force && Date.now() < notBefore) { schedule(notBefore - Date.now()); return; }
    if (flushing) { again = true; return; }
    flushing = true;
    clearTimeout(timer);
    let result = { stop: null };
    try {
      do {
        again = false;
        result = await pass(retryHeld);
        retryHeld = false;
      } while (again && result.stop === null);
    } catch (e) {
      result = { stop: "server" };     // IndexedDB or a bug: never an unhandled rejection, try again
    } finally {
      flushing = false;
    }
    // What this pass learnt of the network: "offline", "online" (the server answered), or nothing.
    const st = await refresh(result.stop === "network" ? "offline" : answered ? "online" : null);
    if (result.stop === "busy" && result.retryAfterMs != null) {
      // The server said when: never sooner (a little later, so kiosks do not return together).
      const wait = result.retryAfterMs * (1 + Math.random() * 0.2);
      notBefore = Date.now() + result.retryAfterMs;
      backoffMs = 0;
      schedule(wait);
    } else if (["network", "server", "busy"].includes(result.stop)) {
      schedule(backoff());
    } else if (again) {
      schedule(0);
    } else if (st.held.length && result.stop === null) {
      const device = hooks.device();
      const next = Math.min(...st.held.filter((ev) => device && ev.station_id === device.station_id)
        .map((ev) => ev.next_try || 0).concat([Infinity]));
      if (next !== Infinity) schedule(next - Date.now());
    }
    return result;
  }

  return {
    flush, refresh, status,
    online() { backoffMs = 0; return flush(); },
    pending() { return flushing; },
  };
}
