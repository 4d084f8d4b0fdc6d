// The citizens' screens of the kiosk: 我要求助 (the 普洱市志愿者服务对象需求采集表 by touch), 志愿者报名,
// 借用登记 (by the volunteer on duty) and 查询进度, each in its own module (citizen-*.js). Everything
// typed lives in the DOM of the open screen only: never in localStorage, sessionStorage, IndexedDB,
// cookies or the scan queue. Leaving a screen (done, cancel, idle reset, a badge scan) empties it;
// offline, the screens say so and offer the station's phone page instead.
import { ctx, setup, reset, screenEl, showPhoneRoute } from "./citizen-kit.js";
import { openRequest } from "./citizen-request.js";
import { openSignup } from "./citizen-signup.js";
import { openLend } from "./citizen-lend.js";
import { openTrack } from "./citizen-track.js";

export { relabel } from "./citizen-kit.js";

export const SCREENS = ["request", "signup", "lend", "track", "ticket", "phone"];

export function init(context) { setup(context); }

// Called by main.js on every change of screen: nothing of a citizen stays behind.
export function leave() {
  reset();
  for (const s of SCREENS) {
    const el = screenEl(s);
    if (el && el.firstChild) el.replaceChildren();
  }
}

export function isCitizenScreen(name) { return SCREENS.includes(name); }

// The buttons on the home screen, as the station and the server's feature list allow.
export function available(station, features) {
  const f = features || [];
  return {
    request: f.includes("request"),
    signup: f.includes("signup"),
    lend: f.includes("lend") && !!(station && (station.lends || []).some((l) => l.item)),
    track: f.includes("track"),
  };
}

export function open(kind) {
  if (ctx.state.offline) { showPhoneRoute(kind); return; }
  ({ request: openRequest, signup: openSignup, lend: openLend, track: openTrack })[kind]();
}
