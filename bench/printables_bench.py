"""Rendering a station's full set and a 100-badge sheet run, beside a blank A4 page in the same run.

Run: make bench (or .venv/bin/python bench/printables_bench.py). Prints figures; never fails.
"""
import io
import sys
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from printables import render  # noqa: E402
from server.rules.badges import make_badge_token  # noqa: E402

STATION = {
    "id": 1, "name": "普洱市人民医院学雷锋志愿服务点", "type_name": "医院", "host_unit": "普洱市人民医院",
    "county": "思茅区", "address": "思茅区振兴大道 44 号", "services": ["挂号就医就诊等咨询", "免费提供饮用水", "轮椅借用"],
    "windows": {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)},
    "entrances": [{"label": "北门", "direction": "left", "where": "一楼大厅东侧，约 30 米"}], "rules_text": None,
    "phone_url": "http://127.0.0.1:5000/s/1", "phone_url_text": "127.0.0.1:5000/s/1"}


def timed(fn, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def blank_a4():
    out = io.BytesIO()
    Image.new("RGB", (2480, 3508), "white").save(out, "PDF", resolution=300)


def full_set():
    for kind in ("name-board", "rules", "services", "direction-sign", "station-poster"):
        render(kind, {"station": STATION}, "pdf")
    render("register", {"station": STATION, "records": [], "blank_pages": 1}, "pdf")
    render("registration-form", {}, "pdf")
    render("request-form", {}, "pdf")


def badge_run():
    badges = [{"name": f"志愿者{i}", "number": f"PE-{i:06d}", "station": STATION["name"], "star_level": i % 6,
               "token": make_badge_token("bench", f"V{i:06d}", 1), "photo": None} for i in range(100)]
    render("badge-sheet", {"badges": badges}, "pdf")


if __name__ == "__main__":
    base = timed(blank_a4)
    print("printables benchmark (best of 3, one core)")
    print(f"  baseline: blank A4 page to PDF      {base * 1000:7.0f} ms")
    for label, fn in (("a station's full set (8 kinds) ", full_set), ("100 badges on 10 A4 sheets    ", badge_run)):
        t = timed(fn)
        print(f"  {label}      {t * 1000:7.0f} ms   ({t / base:.1f}x baseline)")
