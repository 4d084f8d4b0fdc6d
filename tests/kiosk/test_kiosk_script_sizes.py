"""The kiosk's scripts stay split by concern: none past 400 lines unless its head says why."""
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "kiosk" / "static" / "js"
LIMIT = 400


def test_no_kiosk_script_over_the_limit_without_a_reason():
    long = []
    for path in sorted(JS.glob("*.js")):
        lines = path.read_text(encoding="utf-8").splitlines()
        head = " ".join(lines[:5])
        if len(lines) > LIMIT and f"over {LIMIT} lines" not in head:
            long.append(f"{path.name}: {len(lines)} lines")
    assert long == []
