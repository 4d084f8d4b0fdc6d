"""run.py kiosk --printing: Chromium prints 打印回执 silently on the default receipt printer."""
from kiosk.launcher import command


def test_printing_adds_kiosk_printing_only_when_asked(tmp_path):
    url = "http://127.0.0.1:5000/kiosk/"
    assert "--kiosk-printing" in command(url, "/usr/bin/chromium", tmp_path, printing=True)
    assert "--kiosk-printing" not in command(url, "/usr/bin/chromium", tmp_path)
