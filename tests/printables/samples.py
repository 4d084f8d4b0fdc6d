"""gen_* factories for the printables tests: plain dicts shaped like the ones routes pass in."""
import base64
import hashlib
import random

import zxingcpp
from PIL import Image

LONG_NAME = "宁洱哈尼族彝族自治县宁洱镇民主社区第二居民小组综合服务中心学雷锋志愿服务站"  # 37
NAME_40 = "普洱市思茅区人民医院门诊综合楼一楼东侧大厅便民服务中心一号窗口旁学雷锋志愿服务点"
LONG_HOST = "宁洱哈尼族彝族自治县宁洱镇民主社区居民委员会暨社区党群服务中心（新时代文明实践站）"


def gen_token(i=123, version=1):
    """A badge payload in the server's shape: LF1.<REF>.<VERSION>.<26 base32 characters>."""
    ref = f"V{i:06d}"
    sig = base64.b32encode(hashlib.sha256(f"{ref}.{version}".encode()).digest()[:16]).decode().rstrip("=")
    return f"LF1.{ref}.{version}.{sig}"


def gen_station(**over):
    station = {
        "id": 7, "name": "普洱市人民医院学雷锋志愿服务点", "type_name": "医院", "host_unit": "普洱市人民医院",
        "county": "思茅区", "address": "思茅区振兴大道 44 号",
        "services": ["各种知识宣传", "挂号就医就诊等咨询", "免费提供饮用水、轮椅等便民服务", "接收志愿者报名注册",
                     "服务对象需求信息采集"],
        "windows": {**{str(d): [["08:00", "11:30"], ["14:30", "17:30"]] for d in range(5)},
                    "5": [["09:00", "11:30"]], "6": []},
        "closed_note": "法定节假日另行公告",
        "entrances": [{"label": "北门", "direction": d, "where": "一楼大厅东侧，约 30 米"}
                      for d in ("left", "right", "ahead", "upstairs", "downstairs")],
        "rules_text": None, "phone_url": "https://leifeng.example.org/s/7",
        "phone_url_text": "leifeng.example.org/s/7"}
    return {**station, **over}


def gen_badge(i=123, **over):
    badge = {"name": "欧阳娜娜", "number": f"V{i:06d}", "station": "普洱市人民医院学雷锋志愿服务点",
             "star_level": i % 6, "token": gen_token(i), "photo": None}
    return {**badge, **over}


def gen_records(month="2026-11", days=30, seed=1):
    """A month of shifts: one to three a day, some days short of 5 hours, some days empty."""
    rng = random.Random(seed)
    records = []
    for day in range(1, days + 1):
        if day % 9 == 0:
            continue
        for start_h in rng.sample([8, 9, 14, 15], rng.randint(1, 3)):
            minutes = rng.randint(60, 210)
            end = start_h * 60 + minutes
            records.append({"date": f"{month}-{day:02d}", "start": f"{start_h:02d}:00",
                            "end": f"{end // 60:02d}:{end % 60:02d}", "minutes": minutes,
                            "volunteer_name": rng.choice(["张三", "李四", "欧阳娜娜"])})
    return records


def decode(image):
    """Every QR payload an independent decoder (zxing-cpp) reads from the image."""
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def scaled(image, factor):
    """The image as a camera further away sees it: fewer pixels, smoothed."""
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.BILINEAR)


def texts(page):
    """Every text placed on a page image, as logged by the renderer."""
    return page.info["text_boxes"]
