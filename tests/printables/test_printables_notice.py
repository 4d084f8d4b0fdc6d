"""Faithful to the notice: the rules board prints guide 二.1-二.7 in its words, titles follow the station's
own name (服务站 / 服务点), the register is a 登记簿, and the service-card sheet lays out a period's records.
Read back from the vector PDF with pdftotext (independent of the layout code) and from the page's text list."""
import subprocess

import pytest

from printables import kind_title, layout_pages, render
from tests.printables.samples import gen_station

COMMUNITY = gen_station(name="振兴社区学雷锋志愿服务站", type_name="社区")
HOSPITAL = gen_station()


def _pdf_text(kind, data, tmp_path, **options):
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(render(kind, data, fmt="pdf", **options))
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())  # line breaks and spacing are the layout's; the words must be whole


def _texts(kind, data, **options):
    return "".join("".join(t.split()) for page in layout_pages(kind, data, **options) for t in page.texts())


GUIDE_WORDS = [
    "我市正在争创第六届全国文明城市",
    "“富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善”是社会主义核心价值观",
    "“奉献、友爱、互助、进步”是志愿服务精神",
    "必须有2名志愿者在岗服务，一人外出办事或上厕所，至少确保有1人在岗",  # 二.1
    "必须佩戴志愿者标识（绶带、帽子、马甲任何一样即可）",  # 二.2
    "服务中不能玩手机、相互聊天等不良行为",  # 二.3
    "《普洱市志愿者服务记录登记簿》、《普洱市志愿服务证》、全国志愿服务信息系统",  # 二.4
    "每天记录时间不少于5小时",
    "记录服务内容时统一为“站点服务”",
    "确保食品和药品等不要过期，在保质期范围内",  # 二.6
    "在其它入口处显著位置注明",  # 二.7
]


@pytest.mark.parametrize("words", GUIDE_WORDS)
def test_rules_board_prints_the_guides_words(words, tmp_path):
    assert words in _texts("rules", {"station": HOSPITAL})
    assert words in _pdf_text("rules", {"station": HOSPITAL}, tmp_path)


def test_rules_board_and_direction_sign_of_a_community_say_服务站(tmp_path):
    rules = _pdf_text("rules", {"station": COMMUNITY}, tmp_path)
    assert "学雷锋志愿服务站相关制度" in rules and "服务点相关制度" not in rules
    sign = _pdf_text("direction-sign", {"station": COMMUNITY}, tmp_path, entrance=0)
    assert "学雷锋志愿服务站" in sign and "学雷锋志愿服务点" not in sign
    assert "学雷锋志愿服务点" in _texts("direction-sign", {"station": HOSPITAL}, entrance=0)
    assert "学雷锋志愿服务点相关制度" in _texts("rules", {"station": HOSPITAL})
    assert kind_title("rules", COMMUNITY) == "学雷锋志愿服务站相关制度"
    assert kind_title("direction-sign", HOSPITAL) == "学雷锋志愿服务点指示牌"


def test_no_printable_title_spells_the_register_登记薄():
    assert kind_title("register") == "普洱市志愿者服务记录登记簿"
    assert "登记薄" not in _texts("rules", {"station": HOSPITAL})
    assert "登记簿" in _texts("register", {"station": HOSPITAL, "records": []})


CARD = {"volunteer": {"name": "欧阳娜娜", "number": "PE-000123"}, "from": "2026-11-01", "to": "2026-11-30",
        "organisation": "普洱市人民医院", "printed_on": "2026-11-30",
        "records": [{"date": f"2026-11-{d:02d}", "band": "08:00—11:30", "minutes": 210,
                     "station": "普洱市人民医院学雷锋志愿服务点"} for d in range(2, 20)]}


def test_service_card_lays_out_each_record_with_the_columns_and_a_seal_box(tmp_path):
    pages = layout_pages("service-card", CARD)
    assert len(pages) == 2  # 18 records, 14 a page
    text = _pdf_text("service-card", CARD, tmp_path)
    for words in ("《普洱市志愿服务证》服务记录", "服务日期", "时间段", "小时数", "服务项目", "服务站点",
                  "记录单位（盖章）", "欧阳娜娜", "PE-000123", "本期共18条，合计63.00小时"):
        assert words in text, words
    printed = [t for page in pages for t in page.texts()]
    for r in CARD["records"]:
        assert r["date"] in printed
    assert printed.count("08:00—11:30") == 18 and printed.count("3.50") == 18 and printed.count("站点服务") == 18


def test_blank_service_card_has_ruled_rows_and_the_seal_box():
    [page] = layout_pages("service-card", {"volunteer": {"name": "张三"}})
    assert "记录单位（盖章）" in page.texts() and "站点服务" not in page.texts()
