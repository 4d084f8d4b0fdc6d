// Tells a signed-in page when its staff session will end: a notice in the last minutes, then
// "signed out". The server renders the seconds left (body[data-session-seconds]); tabs share the
// latest end through localStorage, so activity in one tab keeps the others' notice true.
const body = document.body;
const notice = document.querySelector("[data-testid='session-notice']");
const zh = document.documentElement.lang !== "en";
const WARN_SECONDS = 5 * 60;
const KEY = "leifeng.staff.session-ends";
let ends = Date.now() + Number(body.dataset.sessionSeconds) * 1000;
let reason = body.dataset.sessionReason;

function shared() {
  try {
    const other = JSON.parse(localStorage.getItem(KEY) || "null");
    if (other && other.ends > ends) { ends = other.ends; reason = other.reason; }
    localStorage.setItem(KEY, JSON.stringify({ ends, reason }));
  } catch (e) { /* storage off: this tab's own time still holds */ }
}

function text(seconds) {
  if (seconds <= 0) {
    return zh ? "已退出登录，请重新登录。" : "You have been signed out; please sign in again.";
  }
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  if (reason === "max") {
    return zh ? `登录将在 ${minutes} 分钟后到期，请保存后重新登录。` : `Your sign-in ends in ${minutes} minutes; save your work and sign in again.`;
  }
  return zh ? `${minutes} 分钟后将因无操作退出登录，打开任一页面即可继续。` : `Signing out in ${minutes} minutes after inactivity; open any page to stay signed in.`;
}

function show() {
  shared();
  const seconds = Math.round((ends - Date.now()) / 1000);
  if (seconds > WARN_SECONDS) { notice.hidden = true; return; }
  notice.textContent = text(seconds) + " ";
  if (seconds <= 0) {
    const link = document.createElement("a");
    link.href = body.dataset.loginUrl;
    link.textContent = zh ? "重新登录" : "Sign in";
    notice.append(link);
    notice.dataset.ended = "1";
  }
  notice.hidden = false;
}

window.addEventListener("storage", (e) => { if (e.key === KEY) show(); });
show();
const timer = setInterval(() => { show(); if (notice.dataset.ended) clearInterval(timer); }, 15000);
