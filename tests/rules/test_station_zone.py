"""The station's zone is defined once (pure, beside the window rules) and shared by everything."""
from pathlib import Path

from server import timeutil
from server.rules import identity, windows

SERVER = Path(__file__).resolve().parents[2] / "server"


def test_one_station_zone_object():
    assert str(windows.STATION_TZ) == "Asia/Shanghai"
    assert timeutil.STATION_TZ is windows.STATION_TZ
    assert identity.STATION_TZ is windows.STATION_TZ


def test_zone_defined_in_one_place():
    places = [p.relative_to(SERVER).as_posix() for p in SERVER.rglob("*.py")
              if 'ZoneInfo("Asia/Shanghai")' in p.read_text(encoding="utf-8")]
    assert places == ["rules/windows.py"]
