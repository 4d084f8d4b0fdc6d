// Station-local time (Asia/Shanghai, whatever the device's own zone) and the two-on-duty rule.
// Pure functions, so a test can call them with any clock.
export const TZ = "Asia/Shanghai";
const WEEKDAYS = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const partsFmt = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  hourCycle: "h23", weekday: "short",
});

// {date: "2026-03-05", hm: "07:59", weekday: 0 (Monday) .. 6, month, day} at the station.
export function localParts(date) {
  const p = Object.fromEntries(partsFmt.formatToParts(date).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hm: `${p.hour}:${p.minute}`, weekday: WEEKDAYS[p.weekday],
           month: +p.month, day: +p.day };
}

// Today's windows ("0" = Monday) unless today is a closed date, and whether one is open now.
export function today(station, now) {
  const closed = (station.closed_dates || []).includes(now.date);
  const windows = closed ? [] : ((station.windows || {})[String(now.weekday)] || []);
  const open = windows.some(([a, b]) => now.hm >= a && now.hm < b);
  return { now, closed, windows, open };
}

// During a window: two or more on duty fine, one a warning, none an alert. Outside the windows
// the two-on-duty rule does not apply: a neutral state whatever the count.
export function dutyLevel(count, open) {
  if (!open) return "idle";
  if (count >= 2) return "ok";
  return count === 1 ? "warn" : "alert";
}
