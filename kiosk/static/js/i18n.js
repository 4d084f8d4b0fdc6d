// Simplified Chinese first; English on a tap. The language lives in memory only and an idle reset
// puts it back to Chinese for the next person.
const TEXT = {
  app_title: ["学雷锋志愿服务站点", "Lei Feng Volunteer Station"],
  lang_switch: ["English", "中文"],
  lang_switch_label: ["Switch to English", "切换到中文"],
  sound_on: ["语音提示：开", "Voice: on"],
  sound_off: ["语音提示：关", "Voice: off"],
  connecting: ["正在连接服务器…", "Connecting to the server…"],
  offline_banner: ["网络已断开：扫码照常记录，恢复后自动上传", "Offline: scans are kept and sent when the network is back"],
  waiting_count: ["待同步 {n} 条", "{n} waiting to sync"],
  syncing_banner: ["正在同步扫码记录", "Sending scans"],
  pair_title: ["设备配对", "Pair this kiosk"],
  pair_help: ["请输入站点管理员提供的 8 位配对码，或用扫码枪扫描配对码。配对后本设备会一直显示该站点。",
              "Enter the 8-character code from the station manager, or scan it. After pairing this device opens straight to its station."],
  pair_code: ["配对码", "Pairing code"],
  pair_submit: ["配对", "Pair"],
  pair_busy: ["正在配对…", "Pairing…"],
  pair_need_code: ["请输入 8 位配对码", "Enter the 8-character code"],
  pair_failed: ["配对失败，请检查网络后重试", "Pairing failed; check the network and try again"],
  revoked: ["本设备的配对已被取消，请重新配对", "This kiosk was unpaired; pair it again"],
  today_windows: ["今日服务时间", "Today's service hours"],
  closed_today: ["今日不开放", "Closed today"],
  in_window: ["服务中", "Open now"],
  out_of_window: ["非服务时段", "Outside service hours"],
  services: ["服务项目", "Services"],
  lends: ["可借用物品", "Items to borrow"],
  on_duty: ["在岗志愿者", "Volunteers on duty"],
  nobody: ["暂无志愿者在岗", "Nobody on duty"],
  duty_ok: ["{n} 人在岗，符合双人在岗要求", "{n} on duty: the two-on-duty rule is met"],
  duty_warn: ["仅 1 人在岗，请再安排 1 名志愿者", "Only 1 on duty: one more volunteer is needed"],
  duty_alert: ["服务时段无人在岗！", "Nobody on duty during service hours!"],
  duty_idle: ["当前非服务时段", "Outside service hours"],
  since: ["{t} 起", "since {t}"],
  scan_button: ["志愿者签到 / 签退", "Volunteer check-in / out"],
  scan_hint: ["点击打开摄像头扫描胸卡，或直接使用扫码枪", "Tap to scan your badge with the camera, or use the scanner"],
  camera_title: ["请将胸卡二维码对准摄像头", "Hold your badge QR code up to the camera"],
  camera_front: ["前置摄像头", "Front camera"],
  camera_back: ["后置摄像头", "Back camera"],
  camera_close: ["关闭摄像头", "Close camera"],
  camera_starting: ["正在打开摄像头…", "Starting the camera…"],
  camera_none: ["无法打开摄像头，请使用扫码枪扫描胸卡", "The camera cannot be opened; please use the scanner"],
  camera_idle: ["摄像头已自动关闭", "The camera was closed"],
  checked_in: ["签到成功", "Checked in"],
  checked_out: ["签退成功", "Checked out"],
  duplicate: ["刚刚已扫码，无需重复", "Already scanned just now"],
  dup_open: ["当前状态：已签到", "Status: checked in"],
  dup_closed: ["当前状态：已签退", "Status: checked out"],
  queued: ["已记录，待同步", "Recorded, waiting to sync"],
  queued_help: ["网络恢复后自动上传，结果会显示在屏幕上", "It is sent when the network is back; the result will show here"],
  sending: ["已记录，正在上传…", "Recorded, sending…"],
  shift_minutes: ["本次服务时长", "This shift"],
  shift_since: ["{t} 起计时", "running since {t}"],
  today_total: ["今日累计", "Today"],
  approved_hours: ["已认定时长", "Approved hours"],
  star_level: ["星级", "Star level"],
  no_star: ["未评星", "none yet"],
  minutes: ["{n} 分钟", "{n} min"],
  hours: ["{n} 小时", "{n} h"],
  stars: ["{n} 星", "{n} star(s)"],
  review_note: ["本班次需人工复核", "This shift will be reviewed"],
  wear_title: ["请佩戴志愿者标识，佩戴后请点选：", "Please wear your volunteer identity, then tap what you wear:"],
  wear_sash: ["绶带", "Sash"],
  wear_cap: ["帽子", "Cap"],
  wear_vest: ["马甲", "Vest"],
  wear_saved: ["已记录：{items}", "Recorded: {items}"],
  wear_failed: ["未能记录，请再点一次", "Not recorded; tap again"],
  back_home: ["返回首页", "Back to home"],
  back_in: ["{n} 秒后返回首页", "Back to home in {n} s"],
  error_title: ["扫码未成功", "Scan not accepted"],
  error_help: ["请重新扫描；如仍不成功，请联系站点负责人", "Please scan again; if it still fails, ask the station manager"],
  bad_payload: ["这不是志愿者胸卡二维码", "This is not a volunteer badge QR code"],
  server_error: ["服务器暂时无法处理，扫码已记录，稍后自动重试", "The server could not answer; the scan is kept and retried"],
  network_error: ["网络异常，扫码已记录，恢复后自动上传", "Network problem; the scan is kept and sent later"],
  sync_title: ["网络恢复，已同步 {n} 条扫码记录", "Back online: {n} scans synced"],
  still_there: ["还在吗？", "Are you still there?"],
  still_there_help: ["{n} 秒后将清除屏幕内容并返回首页", "The screen will be cleared and go home in {n} s"],
  still_here: ["我还在，继续使用", "I'm here, continue"],
  weekday: [["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
            ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]],
};

let lang = "zh";

export function getLang() { return lang; }

export function setLang(value) {
  lang = value === "en" ? "en" : "zh";
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = t(el.dataset.t); });
  document.querySelectorAll("[data-t-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.tLabel));
  });
}

export function t(key, vars) {
  const pair = TEXT[key];
  if (!pair) return key;
  let s = pair[lang === "en" ? 1 : 0];
  if (vars && typeof s === "string") {
    for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, v);
  }
  return s;
}

// A server message comes with message and message_en.
export function pick(obj, zhKey = "message", enKey = "message_en") {
  if (!obj) return "";
  return (lang === "en" ? obj[enKey] : obj[zhKey]) || obj[zhKey] || obj[enKey] || "";
}
