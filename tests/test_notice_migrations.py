"""Migrations of issue 15: stations on the old default service list take the notice's list."""
import json

from server.rules.catalogue import STATION_TYPES
from server.schema import _OLD_EXTRA_SERVICES, migrate
from tests.conftest import gen_station

COMMON = ["各种知识宣传", "接收志愿者报名注册", "服务对象需求信息采集"]


def test_old_default_lists_take_the_notices_and_adjusted_lists_stay(db):
    old = gen_station(db, "hospital")
    adjusted = gen_station(db, "hospital")
    db.execute("UPDATE stations SET services = ? WHERE id = ?",
               [json.dumps(_OLD_EXTRA_SERVICES["hospital"] + COMMON, ensure_ascii=False, separators=(",", ":")), old])
    db.execute("UPDATE stations SET services = ? WHERE id = ?", ['["导医咨询","免费提供饮用水"]', adjusted])
    db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm010_notice_services'")
    db.conn.commit()
    migrate(db)
    rows = {r["id"]: json.loads(r["services"]) for r in db.query("SELECT id, services FROM stations")}
    assert rows[old] == STATION_TYPES["hospital"]["services"]
    assert rows[old][:3] == ["各种知识宣传", "挂号就医就诊等咨询", "免费提供饮用水、轮椅等便民服务"]
    assert rows[adjusted] == ["导医咨询", "免费提供饮用水"]
