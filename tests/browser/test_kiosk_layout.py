"""Every kiosk screen at every screen size a station may have (landscape and portrait monitors and
tablets): no two visible controls overlap, no text is cut or overflows its box, no horizontal
scroll, and axe-core finds nothing serious."""
import pytest

from tests.browser.conftest import axe_violations, badges, screenshot_dir, scan  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]  # make screenshots keeps its pictures

SIZES = [(1920, 1080), (1080, 1920), (1280, 800), (800, 1280), (1024, 768)]

LAYOUT = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && el.offsetParent !== null; };
  const name = (el) => (el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className) + ' ' + (el.textContent || '').trim().slice(0, 16);
  const out = [];
  const root = document.scrollingElement;
  if (root.scrollWidth > root.clientWidth + 1) out.push('horizontal scroll ' + root.scrollWidth);
  // What shows of an element: its box cut to every scrolling or clipping ancestor.
  const clip = (el) => {
    const r = el.getBoundingClientRect();
    let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflow === 'visible') continue;
      const c = p.getBoundingClientRect();
      box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top), right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
    }
    return box;
  };
  const controls = [...document.querySelectorAll('button, input, textarea, a[href], [role=button]')].filter(visible);
  for (let i = 0; i < controls.length; i++) for (let j = i + 1; j < controls.length; j++) {
    const a = controls[i], b = controls[j];
    if (a.contains(b) || b.contains(a)) continue;
    const p = clip(a), q = clip(b);
    const w = Math.min(p.right, q.right) - Math.max(p.left, q.left), h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (w > 1 && h > 1) out.push('overlap ' + name(a) + ' / ' + name(b));
  }
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || !([...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))) continue;
    const s = getComputedStyle(el);
    if (['auto', 'scroll'].includes(s.overflowX) || el.matches('input, textarea')) continue;
    if (el.scrollWidth > el.clientWidth + 1 && s.display !== 'inline') out.push('text overflows ' + name(el) + ' ' + el.scrollWidth + '>' + el.clientWidth);
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 1 || r.left < -1) out.push('text off screen ' + name(el));
  }
  // Labels that must stay whole: a citizen button's word, the station's name in at most two lines.
  for (const el of document.querySelectorAll('.citizen-btn span:not(.cb-icon), .k-ghost, .k-primary, .k-secondary')) {
    if (!visible(el)) continue;
    const lh = parseFloat(getComputedStyle(el).lineHeight) || parseFloat(getComputedStyle(el).fontSize) * 1.45;
    if (el.matches('.citizen-btn span') && el.getBoundingClientRect().height > lh * 1.5) out.push('label wraps ' + name(el));
  }
  const station = document.querySelector('#station-name');
  if (station && visible(station)) {
    const lh = parseFloat(getComputedStyle(station).lineHeight);
    if (station.getBoundingClientRect().height > lh * 2.5) out.push('station name over two lines');
  }
  const duty = document.querySelector('.duty-panel');
  if (duty && visible(duty) && duty.getBoundingClientRect().height < 140) out.push('duty panel ' + duty.getBoundingClientRect().height);
  return out;
}"""


def check(page, label):
    page.evaluate("document.activeElement && document.activeElement.blur && document.activeElement.blur()")
    problems = page.evaluate(LAYOUT)
    found = axe_violations(page)
    page.screenshot(path=str(screenshot_dir() / f"kiosk-layout-{label}.png"))
    assert not problems, (label, problems)
    assert not found, (label, found)


def open_request(page):
    page.click("[data-citizen=request]")
    page.wait_for_selector("[data-step=who]:not([hidden])")


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_screen_fits(live, new_kiosk, size):
    page = new_kiosk(size=size)
    tag = f"{size[0]}x{size[1]}"
    page.wait_for_selector("#citizen-buttons:not([hidden])")
    check(page, f"home-{tag}")
    open_request(page)
    check(page, f"request-{tag}")
    page.click("#screen-request input[name=name]")
    page.wait_for_selector(".textpad .hg-button[data-skbtn='z']")
    for ch in "zhang":
        page.click(f".textpad .hg-button[data-skbtn='{ch}']")
    check(page, f"keyboard-{tag}")
    # The whole keyboard shows at once: its last row is inside the form's visible area, not below
    # the step bar where only scrolling the form would reach it.
    hidden = page.evaluate("""() => {
      const pad = document.querySelector('.textpad').getBoundingClientRect();
      let bottom = innerHeight;
      for (let p = document.querySelector('.textpad').parentElement; p; p = p.parentElement) {
        if (getComputedStyle(p).overflowY !== 'visible') bottom = Math.min(bottom, p.getBoundingClientRect().bottom);
      }
      return Math.max(0, Math.round(pad.bottom - bottom));
    }""")
    assert hidden <= 2, (tag, f"keyboard cut by {hidden} px")
    page.click(".textpad .tp-cand >> nth=0")
    page.click(".textpad .hg-button[data-skbtn='{done}']")
    page.click("#screen-request input[name=mobile]")
    page.keyboard.type("13900001111")
    page.click("[data-field=category] [data-value='__private']")
    page.click(".cz-next")
    page.wait_for_selector("[data-step=private]:not([hidden])")
    check(page, f"request-private-{tag}")
    page.click("[data-field=category_private] [data-value='社区矫正']")
    page.click(".cz-next")
    page.click("[data-field=service_item] [data-value='法律维权']")
    page.fill("#screen-request textarea[name=reason]", "需要法律咨询")
    page.click(".cz-next")
    page.wait_for_selector("[data-step=sensitive]:not([hidden])")
    check(page, f"request-sensitive-{tag}")
    page.click("[data-field=consent_sensitive] .cz-check")
    page.click(".cz-next")
    page.click("[data-field=consent] .cz-check")
    check(page, f"request-confirm-{tag}")
    page.click(".cz-next")
    page.wait_for_selector("#screen-ticket canvas.qr[data-drawn]")
    check(page, f"ticket-{tag}")
    page.click("#text-size")
    check(page, f"ticket-big-{tag}")
    page.click("#ticket-done")
    page.click("[data-citizen=signup]")
    check(page, f"signup-{tag}")
    page.click("#screen-signup .cz-cancel")
    if page.is_visible("[data-citizen=lend]"):
        page.click("[data-citizen=lend]")
        page.wait_for_selector(".pick-lend")
        check(page, f"lend-{tag}")
        page.click("#screen-lend .cz-cancel")
    page.click("[data-citizen=track]")
    check(page, f"track-{tag}")
    page.click("#screen-track .cz-cancel")
    check(page, f"home-big-{tag}")
