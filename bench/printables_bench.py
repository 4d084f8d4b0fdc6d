"""Time a station's full set of printables and a 100-badge sheet, beside a blank A4 page in the same run.

Run: .venv/bin/python bench/printables_bench.py   (prints figures; never fails)
"""
import base64
import hashlib
import io
import statistics
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from printables import KINDS, render  # noqa: E402

STATION = {
    "id": 1, "name": "普洱市人民医院学雷锋志愿服务点", "type_name": "医院", "host_unit": "普洱市人民医院",
    "county": "思茅区", "address": "思茅区振兴大道 44 号",
    "services": ["各种知识宣传", "挂号就医就诊等咨询", "免费提供饮用水、轮椅等便民服务", "接收志愿者报名注册",
                 "服务对象需求信息采集"],
    "windows": {str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(7)}, "closed_note": None,
    "entrances": [{"label": "北门", "direction": "left", "where": "一楼大厅东侧，约 30 米"}], "rules_text": None,
    "phone_url": "https://leifeng.example.org/s/1", "phone_url_text": "leifeng.example.org/s/1"}


def token(i):
    ref = f"V{i:06d}"
    return f"LF1.{ref}.1." + base64.b32encode(hashlib.sha256(ref.encode()).digest()[:16]).decode().rstrip("=")


def badges(count):
    return [{"name": f"志愿者{i}", "number": f"V{i:06d}", "station": STATION["name"], "star_level": i % 6,
             "token": token(i), "photo": None} for i in range(count)]


RECORDS = [{"date": f"2026-11-{d:02d}", "start": s, "end": e, "volunteer_name": "张三", "minutes": m}
           for d in range(1, 31) for s, e, m in (("08:00", "11:30", 210), ("14:30", "17:30", 180))]
FULL_SET = [
    ("name-board", {"station": STATION}, {"size": "A3"}), ("rules", {"station": STATION}, {}),
    ("services", {"station": STATION}, {}), ("direction-sign", {"station": STATION}, {"entrance": 0}),
    ("badge", {"badge": badges(1)[0]}, {}), ("badge-sheet", {"badges": badges(10)}, {}),
    ("station-poster", {"station": STATION}, {}),
    ("register", {"station": STATION, "from": "2026-11-01", "to": "2026-11-30", "records": RECORDS}, {}),
    ("registration-form", {}, {}), ("request-form", {}, {})]


CPU = []  # (label, cpu seconds): on a shared machine the process's CPU time is steadier than the clock


def timed(fn, repeat=3, label=None):
    """Median wall seconds of a few runs; the median CPU seconds go to CPU under label."""
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if label:
        CPU.append((label, statistics.median(cpu)))
    return statistics.median(runs)


def blank_a4():
    """The baseline: an A4 page at 300 dpi with one line of text, saved as PDF by Pillow."""
    page = Image.new("RGB", (2480, 3508), "white")
    ImageDraw.Draw(page).rectangle((100, 100, 2380, 400), fill=(200, 16, 46))
    page.save(io.BytesIO(), "PDF", resolution=300, quality=92, subsampling=0)


def pad(label, width):
    """Left-justify by display width: a Chinese character takes two columns."""
    return label + " " * max(0, width - sum(2 if ord(ch) > 0x2E80 else 1 for ch in label))


def main():
    assert set(k for k, *_ in FULL_SET) <= set(KINDS)  # a volunteer's certificate and service card are not the station's
    render("badge", {"badge": badges(1)[0]}, "pdf")  # load the fonts (and cut the working fonts once), untimed
    base = timed(blank_a4, repeat=5, label="baseline: blank A4 page to PDF (Pillow)")
    rows = [("baseline: blank A4 page to PDF (Pillow)", base, 1)]
    for kind, data, options in FULL_SET:
        rows.append((f"{kind} ({KINDS[kind][0]})", timed(lambda: render(kind, data, "pdf", **options)), 1))
    full = sum(t for _label, t, _n in rows[1:])
    timed(lambda: [render(kind, data, "pdf", **options) for kind, data, options in FULL_SET],
          label="a station's full set, every kind (vector PDF)")
    rows.append(("a station's full set, every kind (vector PDF)", full, 1))
    rows.append(("the same set as PNG at 300 dpi (first page of each)",
                 sum(timed(lambda: render(kind, data, "png", **options), repeat=1) for kind, data, options in FULL_SET),
                 1))
    rows.append(("name board A3 as SVG", timed(lambda: render("name-board", {"station": STATION}, "svg")), 1))
    rows.append(("name board 1200x400mm with 3 mm bleed (PDF)",
                 timed(lambda: render("name-board", {"station": STATION}, "pdf", size="1200x400mm", bleed=3)), 1))
    rows.append(("100 badges on A4 sheets (10 pages)",
                 timed(lambda: render("badge-sheet", {"badges": badges(100)}, "pdf"), repeat=2,
                       label="100 badges on A4 sheets (10 pages)"), 10))
    print("printables benchmark: vector PDF unless said, median of 3 runs, one process")
    for label, seconds, pages in rows:
        per_page = f"  {seconds / pages * 1000:6.0f} ms/page" if pages > 1 else ""
        print(f"  {pad(label, 62)} {seconds * 1000:7.0f} ms  {seconds / base:6.1f}x baseline{per_page}")
    print("CPU time of this process (median):")
    for label, seconds in CPU:
        print(f"  {pad(label, 62)} {seconds * 1000:7.0f} ms  {seconds / CPU[0][1]:6.1f}x baseline")
    board = render("name-board", {"station": STATION}, "pdf")
    print(f"  {pad('name board A3 PDF size', 62)} {len(board) // 1024:7d} KB")


if __name__ == "__main__":
    main()
