"""Screenshots of the kiosk screens at the three sizes, into the git-ignored screenshots/ folder."""
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
    assert len(list(out.glob("kiosk-*.png"))) >= 9
