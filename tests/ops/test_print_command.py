"""run.py print: format from the extension, every page of a PNG, entrances from 1, the certificate's hours;
the staff print page's entrance and the PUBLIC_URL warning."""
import json
import sqlite3

import pytest

from server import create_app
from server.db import connect, immediate
from server.ops.demo import load_demo
from server.store import recognition
from tests.conftest import gen_staff, gen_station, login
from tests.ops.test_cli import run

ONE_DOOR = [{"label": "北门", "direction": "right", "where": "大厅东侧"}]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """An instance folder holding the demo city, station 1 with one recorded entrance."""
    folder = tmp_path_factory.mktemp("print-city")
    app = create_app({"DATABASE": str(folder / "leifeng.sqlite3"), "DEMO": False})
    db = connect(app.config["DATABASE"])
    with app.app_context(), immediate(db):
        load_demo(db)
    with immediate(db):
        db.execute("UPDATE stations SET entrances = ? WHERE id = 1", [json.dumps(ONE_DOOR, ensure_ascii=False)])
        db.execute("UPDATE stations SET entrances = '[]' WHERE id = 2")
    db.close()
    return folder


def test_the_extension_names_the_format_and_a_mismatch_is_refused(city, tmp_path):
    png = tmp_path / "poster.png"
    assert run(city, "print", "station-poster", "--station", "1", "-o", str(png)).returncode == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    pdf = tmp_path / "rules.pdf"
    assert run(city, "print", "rules", "--station", "1", "-o", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    wrong = run(city, "print", "rules", "--station", "1", "--format", "png", "-o", str(tmp_path / "x.pdf"))
    assert wrong.returncode == 2 and "扩展名" in wrong.stderr and "Traceback" not in wrong.stderr
    odd = run(city, "print", "rules", "--station", "1", "-o", str(tmp_path / "x.jpg"))
    assert odd.returncode == 2 and ".jpg" in odd.stderr
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.jpg").exists()


def test_a_png_register_keeps_every_page(city, tmp_path):
    out = tmp_path / "register.png"
    res = run(city, "print", "register", "--station", "1", "--from", "2000-01-01", "--to", "2100-12-31", "-o", str(out))
    assert res.returncode == 0, res.stderr
    pages = sorted(tmp_path.glob("register-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    assert len(pages) > 1 and not out.exists()
    assert all(p.read_bytes().startswith(b"\x89PNG") for p in pages)
    assert f"{len(pages)} pages" in res.stdout and str(pages[-1]) in res.stdout


def test_entrances_count_from_one_with_a_clear_error(city, tmp_path):
    out = tmp_path / "sign.pdf"
    assert run(city, "print", "direction-sign", "--station", "1", "--entrance", "1", "-o", str(out)).returncode == 0
    for bad in ("2", "0"):
        res = run(city, "print", "direction-sign", "--station", "1", "--entrance", bad, "-o", str(tmp_path / "b.pdf"))
        assert res.returncode == 2 and "入口编号应为 1 到 1" in res.stderr and "Traceback" not in res.stderr
    none = run(city, "print", "direction-sign", "--station", "2", "-o", str(tmp_path / "b.pdf"))
    assert none.returncode == 2 and "没有登记其他入口" in none.stderr


def test_the_certificate_carries_the_volunteers_hours(city, tmp_path, monkeypatch):
    from server.services.printing import printable
    from server.store.scope import Scope
    from server.store.volunteers import get_volunteer
    db = sqlite3.connect(city / "leifeng.sqlite3")
    volunteer_id = db.execute("SELECT volunteer_id FROM shifts WHERE approval IN ('approved', 'exported')"
                              " GROUP BY volunteer_id ORDER BY volunteer_id LIMIT 1").fetchone()[0]
    db.close()
    monkeypatch.setenv("LEIFENG_INSTANCE", str(city))
    app = create_app()
    conn = connect(app.config["DATABASE"])
    with app.test_request_context():
        volunteer = get_volunteer(conn, Scope("city"), volunteer_id)
        data, _options = printable(conn, Scope("city"), "certificate", volunteer=volunteer)
    minutes = recognition.approved_minutes(conn, volunteer_id)
    assert minutes > 0 and data["hours"] == minutes / 60 and data["name"] and data["stations"]
    out = tmp_path / "cert.pdf"
    res = run(city, "print", "certificate", "--volunteer", str(volunteer_id), "-o", str(out))
    assert res.returncode == 0 and out.read_bytes().startswith(b"%PDF")
    assert run(city, "print", "certificate", "-o", str(out)).returncode == 2  # whose certificate?


def test_staff_print_page_entrance_out_of_range_is_a_clear_400(app, db):
    station = gen_station(db, "hospital", entrances=ONE_DOOR)
    bare = gen_station(db, "hospital")
    client = app.test_client()
    login(client, gen_staff(db, "city"))
    url = f"/staff/stations/{station}/print/direction-sign.png"
    assert client.get(url + "?entrance=1").status_code == 200
    for bad in ("99", "0", "-1"):
        res = client.get(url + f"?entrance={bad}")
        assert res.status_code == 400 and "入口编号应为 1 到 1" in res.get_data(as_text=True), bad
    assert client.get(f"/staff/stations/{bare}/print/direction-sign.png").status_code == 404


def test_public_url_follows_host_and_port(monkeypatch, tmp_path):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path))
    monkeypatch.setenv("HOST", "127.0.0.1")
    monkeypatch.setenv("PORT", "8123")
    assert create_app({"DEMO": False}).config["PUBLIC_URL"] == "http://127.0.0.1:8123"
    monkeypatch.setenv("LEIFENG_PUBLIC_URL", "https://zyfw.example.cn")
    assert create_app({"DEMO": False}).config["PUBLIC_URL"] == "https://zyfw.example.cn"


def test_print_page_and_command_say_when_phones_cannot_reach_the_address(app, db, city, tmp_path):
    from server.config import public_url_warning
    station = gen_station(db)
    client = app.test_client()
    login(client, gen_staff(db, "city"))
    app.config["PUBLIC_URL"] = "http://192.168.1.20:8080"
    page = client.get(f"/staff/stations/{station}/print").get_data(as_text=True)
    assert 'data-testid="public-url-warning"' in page and "市民的手机无法访问" in page and "LEIFENG_PUBLIC_URL" in page
    app.config["PUBLIC_URL"] = "https://zyfw.example.cn"
    assert "public-url-warning" not in client.get(f"/staff/stations/{station}/print").get_data(as_text=True)
    assert public_url_warning("http://localhost:5000") and public_url_warning("http://10.0.0.5")
    assert public_url_warning("https://zyfw.example.cn") is None and public_url_warning("http://58.59.60.61") is None
    res = run(city, "print", "station-poster", "--station", "1", "-o", str(tmp_path / "p.pdf"), env={"PORT": "8124"})
    assert res.returncode == 0 and "http://127.0.0.1:8124" in res.stderr
    assert res.stderr.index("市民的手机无法访问") < res.stderr.index("phones cannot reach")
    fine = run(city, "print", "station-poster", "--station", "1", "-o", str(tmp_path / "q.pdf"),
               env={"LEIFENG_PUBLIC_URL": "https://zyfw.example.cn"})
    assert fine.returncode == 0 and "LEIFENG_PUBLIC_URL" not in fine.stderr
