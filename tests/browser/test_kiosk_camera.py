"""Camera scanning: a badge drawn by the printables, played to Chromium as its camera, checks in."""
import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS
from tests.browser.kiosk_expect import check_in_title

pytestmark = pytest.mark.browser


def write_y4m(image, path, size=(640, 480), frames=5):
    """The badge on a white 640x480 frame as YUV 4:2:0 (what --use-file-for-fake-video-capture plays)."""
    w, h = size
    canvas = Image.new("RGB", size, "white")
    card = image.convert("RGB")
    card.thumbnail((w - 40, h - 40))
    canvas.paste(card, ((w - card.width) // 2, (h - card.height) // 2))
    y, cb, cr = canvas.convert("YCbCr").split()
    cb, cr = (c.resize((w // 2, h // 2)) for c in (cb, cr))
    frame = b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes()
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F10:1 Ip A1:1 C420jpeg\n".encode())
        f.write(frame * frames)


def badge_image(token, person):
    """The printables' badge card, exactly as a station prints it. The import is deliberately here
    and unguarded: if printables cannot be imported the test fails; it never draws a QR of its own."""
    from printables import render_pages
    return render_pages("badge", {"badge": {"token": token, "name": person["name"], "number": person["ref"],
                                            "station": "普洱市人民医院学雷锋志愿服务点", "star_level": 1}})[0]


def test_badge_held_to_the_camera_checks_in(live, pw, new_kiosk, badges, tmp_path):
    person, token = badges.take()
    card = badge_image(token, person)
    video = tmp_path / "badge.y4m"
    write_y4m(card, video)
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS + [
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}"])
    try:
        page = new_kiosk(via=browser, size=(1280, 800), permissions=["camera"])
        page.click("#scan-button")
        page.wait_for_selector(".result.checked_in", timeout=20000)
        assert page.text_content(".result-title") == check_in_title(live, 1)
        assert page.evaluate("document.querySelector('#camera-video').srcObject") is None  # camera off
    finally:
        browser.close()
