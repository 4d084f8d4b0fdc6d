"""Screenshots of the kiosk screens at the three sizes: into the git-ignored screenshots/ folder with
`make screenshots`, into the temporary folder otherwise (see conftest.screenshot_dir)."""
import pytest

from tests.browser.conftest import SIZES, scan, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.screenshots]


def test_screenshots(live, new_kiosk, badges):
    out = screenshot_dir()
    for label, size in SIZES.items():
        page = new_kiosk(size=size)
        page.screenshot(path=str(out / f"kiosk-home-{label}.png"))
        person, token = badges.take()
        scan(page, token)
        page.wait_for_selector(".result.checked_in")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=str(out / f"kiosk-result-{label}.png"))
        scan(page, "LF1.V999999.1.FORGEDSIGNATUREAAAAAAAAAAAA")
        page.wait_for_selector("#screen-error:not([hidden]) .error-message")
        page.screenshot(path=str(out / f"kiosk-error-{label}.png"))
        if label == "1920x1080":
            page.click("#lang-switch")
            page.click("#screen-error [data-home]")
            page.screenshot(path=str(out / f"kiosk-home-en-{label}.png"))
            page.context.set_offline(True)
            scan(page, badges.take()[1])
            page.wait_for_selector(".result.pending")
            page.screenshot(path=str(out / f"kiosk-queued-{label}.png"))
            page.context.set_offline(False)
            page.wait_for_selector(".result.checked_in")
            page.wait_for_selector("#screen-home:not([hidden])", timeout=12000)
            page.click("#scan-button")  # no camera on this machine: the screen says so
            page.wait_for_selector("#camera-msg:text('无法打开摄像头，请使用扫码枪扫描胸卡')")
            page.screenshot(path=str(out / f"kiosk-camera-none-{label}.png"))
            unpaired = new_kiosk(size=size, paired=False)
            unpaired.screenshot(path=str(out / f"kiosk-pair-{label}.png"))
        citizens(page, out, label)
    assert len(list(out.glob("kiosk-*.png"))) >= 9 + 3 * 8


def citizens(page, out, label):
    """The citizens' screens: the request's steps, the separate consent, the ticket, tracking,
    sign-up, lending and the phone route offline."""
    shot = lambda name: page.screenshot(path=str(out / f"kiosk-{name}-{label}.png"))  # noqa: E731
    for button in ("#idle-continue", "#camera-close", "#screen-error [data-home]", "#screen-result [data-home]"):
        if page.is_visible(button):
            page.click(button)
    page.wait_for_selector("#screen-home:not([hidden])")
    page.click("[data-citizen=request]")
    page.fill("#screen-request input[name=name]", "张三")
    page.click("#screen-request input[name=mobile]")
    for d in "1391234":
        page.click(f".keypad [data-key='{d}']")
    shot("request")
    for d in "5678":
        page.click(f".keypad [data-key='{d}']")
    page.click(".keypad [data-key=done]")
    page.click("[data-field=category] [data-value='残疾人']")
    page.click(".cz-next")
    page.click("[data-field=service_item] [data-value='助残']")
    page.fill("#screen-request textarea[name=reason]", "行动不便，需要志愿者每周上门帮助购买生活用品。")
    page.click("[data-field=health_details] .cz-check")
    page.click("[data-step=need] .cz-more")
    page.click("[data-field=service_time] .pick-day >> nth=1")
    page.click("[data-field=service_time] [data-value='09:00']")
    page.evaluate("document.activeElement.blur(); document.querySelector('#screen-request .cz-body').scrollTop = 0")
    shot("request-need")
    page.click(".cz-next")
    page.wait_for_selector("[data-step=sensitive]:not([hidden])")
    shot("consent")
    page.click("[data-field=consent_sensitive] .cz-check")
    page.click(".cz-next")
    page.click("[data-field=consent] .cz-check")
    page.evaluate("document.activeElement.blur()")
    shot("request-confirm")
    page.click(".cz-next")
    page.wait_for_selector("#screen-ticket canvas.qr[data-drawn]")
    ticket = page.text_content("#ticket-code")
    shot("ticket")
    page.click("#ticket-done")
    page.click("[data-citizen=track]")
    page.click("#screen-track input[name=ticket]")
    page.keyboard.type(ticket)
    page.click("#screen-track input[name=last4]")
    shot("track")
    page.keyboard.type("5678")
    page.click("#screen-track .track-form button[type=submit]")
    page.wait_for_selector("#track-state")
    shot("track-result")
    page.click("#screen-track .cz-cancel")
    page.click("[data-citizen=signup]")
    page.fill("#screen-signup input[name=name]", "李四")
    for item in ("助老服务", "文明交通", "邻里互助"):
        page.click(f"[data-field=service_items] [data-value='{item}']")
    page.click("#screen-signup input[name=id_number]")
    page.keyboard.type("53080219910405")
    shot("signup")
    page.click("#screen-signup .cz-cancel")
    page.click("[data-citizen=lend]")
    page.wait_for_selector(".pick-lend")
    page.evaluate("document.activeElement && document.activeElement.blur()")
    shot("lend")
    page.click("#screen-lend .cz-cancel")
    page.context.set_offline(True)
    page.wait_for_selector("#net-banner.offline")
    page.click("[data-citizen=request]")
    page.wait_for_selector("#screen-phone canvas.qr[data-drawn]")
    shot("offline-phone")
    page.click("#screen-phone .k-primary")
    page.context.set_offline(False)
