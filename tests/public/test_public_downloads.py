"""资料下载: blank printables rendered once per renderer version, then served as files with caching headers."""
import time
from pathlib import Path

import pytest

from server import create_app
from server.public.downloads import BLANKS, renderer_version


@pytest.fixture
def public(tmp_path, monkeypatch):
    monkeypatch.setenv("LEIFENG_INSTANCE", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "DEMO": False, "DATABASE": str(tmp_path / "test.sqlite3")})
    return app, app.test_client()


def test_a_blank_is_rendered_once_and_the_second_request_costs_under_20_ms(public):
    app, client = public
    first = client.get("/downloads/register.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF") and first.mimetype == "application/pdf"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "public" in first.headers["Cache-Control"] and "max-age=86400" in first.headers["Cache-Control"]
    cached = list((Path(app.instance_path) / "printables").glob("*.pdf"))
    assert [p.name for p in cached] == [f"register-{renderer_version()}.pdf"]
    costs = []
    for _ in range(5):
        start = time.perf_counter()
        again = client.get("/downloads/register.pdf")
        costs.append(time.perf_counter() - start)
        assert again.status_code == 200 and again.data == first.data
    assert min(costs) < 0.020, costs  # the first one renders the ten pages; these only read a file


def test_a_browser_that_has_it_gets_304(public):
    _app, client = public
    first = client.get("/downloads/request-form.png")
    assert first.status_code == 200 and first.mimetype == "image/png"
    again = client.get("/downloads/request-form.png", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    since = client.get("/downloads/request-form.png", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_every_blank_in_each_format_and_nothing_else(public):
    _app, client = public
    for kind in BLANKS:
        assert client.get(f"/downloads/{kind}.pdf").status_code == 200
        assert client.get(f"/downloads/{kind}.png?preview=1").mimetype == "image/png"
    svg = client.get("/downloads/registration-form.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and "普洱市个人志愿者注册登记表" in svg.text
    for bad in ("register.svg", "badge.pdf", "rules.png", "register.exe", "register.pdf?preview=1"):
        assert client.get(f"/downloads/{bad}").status_code == 404, bad
    page = client.get("/downloads").text
    assert 'data-testid="download-svg"' in page and "/downloads/register.pdf" in page


def test_a_new_renderer_version_renders_again_and_drops_the_old_file(public):
    app, client = public
    folder = Path(app.instance_path) / "printables"
    folder.mkdir(parents=True)
    old = folder / "request-form-0123456789abcdef.pdf"
    old.write_bytes(b"%PDF made by an older renderer")
    keep = folder / "request-form-0123456789abcdef-preview.png"
    keep.write_bytes(b"another kind of file")
    res = client.get("/downloads/request-form.pdf")
    assert res.status_code == 200 and b"older renderer" not in res.data
    assert not old.exists() and keep.exists()
