"""The kiosk's on-screen keyboard: every text field types Chinese by pinyin with candidate characters,
letters and digits, with large keys and the typed text shown above the keys."""
import json

import pytest

from tests.browser.conftest import axe_violations, db_rows

pytestmark = pytest.mark.browser


def pinyin(page, letters, char):
    """Tap the letters on the on-screen keyboard, then the candidate char (paging on if needed)."""
    for ch in letters:
        page.locator(f".textpad .hg-button[data-skbtn='{ch}']").tap()
    assert page.text_content("[data-testid=textpad-pinyin]") == letters
    for _ in range(12):
        cand = page.locator(f".textpad .tp-cand[data-cand='{char}']")
        if cand.count():
            cand.tap()
            return
        page.locator(".textpad .tp-page[aria-label='更多候选字']").tap()
    raise AssertionError(f"{char} not offered for {letters}")


def test_name_and_reason_typed_by_pinyin_and_sent(live, new_kiosk):
    page = new_kiosk(size=(1080, 1920), has_touch=True)
    page.locator("[data-citizen=request]").tap()
    page.locator("#screen-request input[name=name]").tap()
    page.wait_for_selector(".textpad .hg-button[data-skbtn='z']")
    # Large keys, the typed text above them.
    sizes = page.evaluate("""() => [...document.querySelectorAll('.textpad .hg-button, .textpad .tp-mode')]
        .map(b => b.getBoundingClientRect()).map(r => Math.min(r.width, r.height))""")
    assert sizes and min(sizes) >= 64, min(sizes)
    pinyin(page, "zhang", "张")
    pinyin(page, "wei", "伟")
    assert page.input_value("#screen-request input[name=name]") == "张伟"
    assert page.text_content("[data-testid=textpad-preview]").strip() == "张伟"
    keys_top = page.evaluate("document.querySelector('.textpad .tp-keys').getBoundingClientRect().top")
    preview_bottom = page.evaluate("document.querySelector('[data-testid=textpad-preview]').getBoundingClientRect().bottom")
    assert preview_bottom <= keys_top
    # Two syllables at once: the first is chosen, the rest stays to be chosen.
    for ch in "lili":
        page.locator(f".textpad .hg-button[data-skbtn='{ch}']").tap()
    page.locator(".textpad .tp-cand[data-cand='李']").tap()
    assert page.text_content("[data-testid=textpad-pinyin]") == "li"
    first = page.get_attribute(".textpad .tp-cand >> nth=0", "data-cand")
    page.locator(".textpad .hg-button[data-skbtn='{space}']").tap()  # the space bar takes the first
    assert page.input_value("#screen-request input[name=name]") == "张伟李" + first
    for _ in range(2):
        page.locator(".textpad .hg-button[data-skbtn='{bksp}']").tap()
    assert page.input_value("#screen-request input[name=name]") == "张伟"
    assert not axe_violations(page)
    # The switch to digits types digits; back to pinyin.
    page.locator(".textpad .tp-mode[data-mode=digits]").tap()
    page.locator(".textpad .hg-button[data-skbtn='1']").tap()
    assert page.input_value("#screen-request input[name=name]") == "张伟1"
    page.locator(".textpad .hg-button[data-skbtn='{bksp}']").tap()
    page.locator(".textpad .tp-mode[data-mode=letters]").tap()
    page.locator(".textpad .hg-button[data-skbtn='{done}']").tap()
    assert page.locator(".textpad").count() == 0

    page.locator("#screen-request input[name=mobile]").tap()
    for d in "13900007788":
        page.locator(f".keypad [data-key='{d}']").tap()
    page.locator(".keypad [data-key=done]").tap()
    page.locator("[data-field=category] [data-value='空巢老人']").tap()
    page.locator(".cz-next").tap()
    page.wait_for_selector("[data-step=need]:not([hidden])")
    page.locator("[data-field=service_item] [data-value='助老']").tap()
    page.locator("#screen-request textarea[name=reason]").tap()
    for letters, char in (("shen", "申"), ("qing", "请"), ("yuan", "原"), ("yin", "因")):
        pinyin(page, letters, char)
    assert page.input_value("#screen-request textarea[name=reason]") == "申请原因"
    page.locator(".cz-next").tap()
    page.wait_for_selector("[data-step=confirm]:not([hidden])")
    page.locator("[data-field=consent] .cz-check").tap()
    with page.expect_request(lambda r: r.url.endswith("/api/kiosk/requests") and r.method == "POST") as sent:
        page.locator(".cz-next").tap()
    body = json.loads(sent.value.post_data)
    assert body["name"] == "张伟" and body["reason"] == "申请原因"
    page.wait_for_selector("#ticket-code")
    ticket = page.get_attribute("#ticket-code", "data-ticket")
    assert db_rows(live, "SELECT name_masked FROM requests WHERE ticket = ?", (ticket,)) == [("张*",)]
    # 打印回执: printed, only the receipt shows, 48 mm wide for a 58 mm roll, with the ticket in groups.
    page.emulate_media(media="print")
    assert page.is_visible("#receipt-paper") and not page.is_visible("#ticket-done")
    width_mm = page.evaluate("document.querySelector('#receipt-paper').getBoundingClientRect().width") * 25.4 / 96
    assert abs(width_mm - 48) < 1 or abs(width_mm - 72) < 1, width_mm
    assert ticket[:4] + " " + ticket[4:] in page.inner_text("#receipt-paper")
    page.emulate_media(media="screen")

