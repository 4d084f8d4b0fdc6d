"""大字 is for the person at the kiosk: the idle reset turns it off for whoever comes next."""
import pytest

from tests.browser.conftest import IDLE_SECONDS

pytestmark = pytest.mark.browser
COUNTDOWN_S = 10  # the idle dialog's countdown (kiosk/static/js/idle.js IDLE_COUNTDOWN_S)


def big_text(page):
    return page.evaluate("document.documentElement.classList.contains('big-text')")


def wait_for_idle_reset(page):
    """The idle dialog appears after IDLE_SECONDS untouched, then closes when its countdown runs out."""
    page.wait_for_selector("#idle-dialog:not([hidden])", timeout=(IDLE_SECONDS + 4) * 1000)
    page.wait_for_selector("#idle-dialog", state="hidden", timeout=(COUNTDOWN_S + 4) * 1000)


def test_idle_reset_turns_big_text_off_even_on_the_home_screen(new_kiosk):
    page = new_kiosk()
    page.click("#text-size")
    assert big_text(page) and page.get_attribute("#text-size", "aria-pressed") == "true"
    # Nothing else is left on the screen: 大字 alone is reason enough to reset.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    wait_for_idle_reset(page)
    assert not big_text(page)
    assert page.get_attribute("#text-size", "aria-pressed") == "false"
    assert page.is_visible("#screen-home")


def test_idle_reset_turns_big_text_off_on_a_citizen_screen(new_kiosk):
    page = new_kiosk()
    page.click("#text-size")
    page.click("[data-citizen=request]")
    page.wait_for_selector("#screen-request [data-step=who]:not([hidden])")
    assert big_text(page)  # it stays on from screen to screen
    page.evaluate("document.activeElement && document.activeElement.blur()")
    wait_for_idle_reset(page)
    assert not big_text(page) and page.get_attribute("#text-size", "aria-pressed") == "false"
    assert page.is_visible("#screen-home")
    # The next person turns it on again as they like.
    page.click("#text-size")
    assert big_text(page)
