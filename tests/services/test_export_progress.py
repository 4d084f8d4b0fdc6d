"""run.py export shows its progress on stderr: the reading phase, then a bar over the rows written."""
import os
import pty
import subprocess
import sys
from datetime import date

from tests.conftest import gen_shift, gen_station, gen_volunteer
from tests.live_server import ROOT


def test_cli_export_shows_progress(tmp_path, instance_db):
    db = instance_db
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    for day in (6, 7, 8):
        gen_shift(db, vid, station, day=date(2024, 5, day), approval="approved")
    env = {"LEIFENG_INSTANCE": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"}
    # stderr on a terminal, as an operator runs it: the bar is drawn
    terminal, screen = pty.openpty()
    res = subprocess.run([sys.executable, "run.py", "export", "--from", "2024-05-01", "--to", "2024-05-31",
                          "-o", str(tmp_path / "out.csv")], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=screen, timeout=60)
    os.close(screen)
    shown = _drain(terminal)
    assert res.returncode == 0, shown
    assert "读取并解密记录… / reading records…" in shown
    assert "写入 3 条 / writing" in shown and "3/3" in shown and "100%" in shown


def _drain(fd):
    out = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(fd)
    return out.decode("utf-8", "replace")
