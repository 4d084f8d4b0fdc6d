"""The badge's photo (uploaded on the staff volunteer page, encrypted at rest, never in the QR) and its number."""
import io

import zxingcpp
from PIL import Image

from printables import layout_pages
from server.services.printing import badge_data
from server.store import volunteers
from server.store.scope import Scope
from tests.conftest import csrf_of, gen_staff, gen_station, gen_volunteer, login


def photo_bytes(colour=(20, 120, 200), size=(1200, 1600), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def upload(client, vid, data, name="me.png"):
    csrf = csrf_of(client, f"/staff/volunteers/{vid}")
    return client.post(f"/staff/volunteers/{vid}/photo", content_type="multipart/form-data",
                       data={"csrf_token": csrf, "photo": (io.BytesIO(data), name)})


def badge_png(client, vid):
    res = client.get(f"/staff/volunteers/{vid}/badge.png")
    assert res.status_code == 200
    return Image.open(io.BytesIO(res.data)).convert("RGB")


def test_an_uploaded_photo_is_encrypted_printed_on_the_badge_and_never_in_the_qr(app, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    client = app.test_client()
    login(client, gen_staff(db, "station", station_id=station))
    before = badge_png(client, vid)
    res = upload(client, vid, photo_bytes())
    assert res.status_code == 302
    row = next(db.query("SELECT * FROM volunteer_photos WHERE volunteer_id = ?", [vid]))
    assert "/9j/" not in row["photo_cipher"] and row["source"] == "staff"  # no JPEG (base64 /9j/) in the clear
    shown = client.get(f"/staff/volunteers/{vid}/photo.jpg")
    assert shown.mimetype == "image/jpeg" and "no-store" in shown.headers["Cache-Control"]
    assert Image.open(io.BytesIO(shown.data)).size == (600, 800)  # cut down from the camera's 1200 x 1600
    after = badge_png(client, vid)
    ref = volunteers.get_volunteer(db, Scope("city"), vid)["ref"]
    token = [r.text for r in zxingcpp.read_barcodes(after)]
    assert len(token) == 1 and token[0].startswith(f"LF1.{ref}.") and token[0] == \
        [r.text for r in zxingcpp.read_barcodes(before)][0]  # the photo changes nothing in the QR
    def blue(image):  # the photo's colour, give or take what JPEG does to it
        return sum(1 for r, g, b in image.get_flattened_data() if abs(r - 20) + abs(g - 120) + abs(b - 200) < 30)
    assert blue(after) > 150 * 200 and blue(before) == 0  # 15 x 20 mm at 300 dpi is 177 x 236 px
    assert 'data-testid="photo"' in client.get(f"/staff/volunteers/{vid}").get_data(as_text=True)
    actions = [r["action"] for r in db.query("SELECT action FROM audit_log WHERE object_id = ? AND object_type = "
                                             "'volunteer'", [vid])]
    assert "add_photo" in actions


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_stored(app, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    client = app.test_client()
    login(client, gen_staff(db, "station", station_id=station))
    res = upload(client, vid, b"%PDF-1.4 not a photo", name="me.jpg")
    assert res.status_code == 400 and "JPEG/PNG/WebP" in res.get_data(as_text=True)
    assert not list(db.query("SELECT 1 FROM volunteer_photos"))


def test_photo_removed_and_other_stations_cannot_touch_it(app, db):
    station, other = gen_station(db), gen_station(db)
    vid = gen_volunteer(db, [station])
    client = app.test_client()
    login(client, gen_staff(db, "station", station_id=station))
    assert upload(client, vid, photo_bytes(fmt="JPEG"), "me.jpg").status_code == 302
    stranger = app.test_client()
    login(stranger, gen_staff(db, "station", station_id=other))
    assert stranger.get(f"/staff/volunteers/{vid}/photo.jpg").status_code == 404
    csrf = csrf_of(client, f"/staff/volunteers/{vid}")
    assert client.post(f"/staff/volunteers/{vid}/photo/remove", data={"csrf_token": csrf}).status_code == 302
    assert client.get(f"/staff/volunteers/{vid}/photo.jpg").status_code == 404


def test_the_badge_carries_the_number_the_staff_pages_and_kiosk_show(app, db):
    station = gen_station(db)
    vid = gen_volunteer(db, [station])
    v = volunteers.get_volunteer(db, Scope("city"), vid)
    with app.test_request_context():
        data = badge_data(db, v, "站点")
    assert data["number"] == v["ref"] and v["ref"].startswith("V")
    texts = [b["text"] for b in layout_pages("badge", {"badge": data})[0].text_boxes]
    assert f"编号 {v['ref']}" in texts
