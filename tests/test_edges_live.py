"""The server's edges against the real server (run.py serve, gunicorn, the demo city): upload
limits, spreadsheet and image bombs, malformed JSON, and database faults (issues 11.14, 12.4-12.6)."""
import io
import os
import random
import re
import socket
import sqlite3
import struct
import subprocess
import time
import uuid
import zipfile
import zlib
from datetime import datetime, timezone

import pytest
import requests

from server.services.backfill import template_bytes
from server.rules.standards import STANDARDS
from tests.live_server import LiveServer, csrf_token, serving

MiB = 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("edges")) as srv:
        yield srv


def staff_session(server, username="city"):
    s = requests.Session()
    res = server.sign_in(s, username)
    assert res.status_code == 302, res.text[:300]
    return s


def count(server, table):
    return server.sql(f"SELECT count(*) FROM {table}")[0][0]


def raw_post_headers_only(server, path, length, cookies):
    """Send a POST's headers announcing `length` bytes and no body; the answer, and how long it took.

    A server that waited for the body would never answer; one that checks Content-Length first
    answers at once.
    """
    cookie = "; ".join(f"{k}={v}" for k, v in cookies.items())
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nCookie: {cookie}\r\n"
            f"Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: {length}\r\n"
            "Connection: close\r\n\r\n")
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head.encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("latin-1"), time.monotonic() - started


def inspection_form(session, server, station_id=1):
    html = session.get(f"{server.url}/staff/stations/{station_id}/inspections", timeout=10).text
    form = {"csrf_token": csrf_token(html), "visited_on": "2026-11-02", "inspectors": "检查组", "findings": ""}
    form.update({f"check_{key}": "met" for key, _zh, _en in STANDARDS})
    return form


def worker_peak_rss_mb(server):
    """The largest peak resident size (VmHWM) of the server's processes, in MB."""
    peaks = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getpgid(int(pid)) != server.proc.pid:
                continue
            status = open(f"/proc/{pid}/status").read()
        except (OSError, ProcessLookupError):
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks.append(int(found.group(1)) / 1024)
    assert peaks
    return max(peaks)


# 11.14 upload limits, one per endpoint, checked before the body is read ---------------------

def _xlsx_with_ballast(size):
    """The real template plus an incompressible part, so the file itself weighs `size` bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/ballast.bin", random.Random(7).randbytes(size), compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def test_a_2_mib_backfill_spreadsheet_is_read_not_refused(server):
    s = staff_session(server)
    data = _xlsx_with_ballast(2 * MiB)
    assert len(data) > 2 * MiB
    html = s.get(server.url + "/staff/hours/manual", timeout=10).text
    res = s.post(server.url + "/staff/hours/manual/upload", timeout=30,
                 data={"csrf_token": csrf_token(html), "station_id": "1"},
                 files={"file": ("补录.xlsx", data)})
    # read through: the template's example row names a volunteer outside the demo, so the row is refused
    assert res.status_code == 400, res.status_code
    assert "第 2 行" in res.text or "V000001" in res.text or "志愿者编号" in res.text


@pytest.mark.parametrize("path,limit", [("/staff/hours/manual/upload", 4 * MiB),
                                        ("/staff/stations/1/inspections", 12 * MiB)])
def test_each_endpoint_refuses_a_body_over_its_limit_before_reading_it(server, path, limit):
    s = staff_session(server)
    answer, took = raw_post_headers_only(server, path, limit + 1, s.cookies.get_dict())
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert took < 2, took
    # and at the limit the same endpoint waits for the body instead (it is allowed)
    with pytest.raises(socket.timeout):
        cookie = "; ".join(f"{k}={v}" for k, v in s.cookies.get_dict().items())
        with socket.create_connection(("127.0.0.1", server.port), timeout=2) as sock:
            sock.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nContent-Type: multipart/form-data;"
                          f" boundary=xyz\r\nContent-Length: {limit}\r\n\r\n").encode())
            sock.recv(100)


def test_413_names_the_limit(server):
    s = staff_session(server)
    html = s.get(server.url + "/staff/hours/manual", timeout=10).text
    res = s.post(server.url + "/staff/hours/manual/upload", timeout=30,
                 data={"csrf_token": csrf_token(html), "station_id": "1"},
                 files={"file": ("big.xlsx", _xlsx_with_ballast(5 * MiB))})
    assert res.status_code == 413
    assert "最多 4 MB" in res.text and "at most 4 MB" in res.text


def _jpeg(width, height, quality=95):
    from PIL import Image
    noise = random.Random(3).randbytes(width * height * 3)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), noise).save(out, "JPEG", quality=quality)
    return out.getvalue()


def test_inspection_takes_several_mib_of_photos(server):
    s = staff_session(server)
    photo = _jpeg(1600, 1200)
    assert len(photo) > 1.5 * MiB
    before = count(server, "inspection_photos")
    res = s.post(server.url + "/staff/stations/1/inspections", timeout=30, allow_redirects=False,
                 data=inspection_form(s, server),
                 files=[("photos", (f"p{n}.jpg", photo, "image/jpeg")) for n in range(4)])
    assert res.status_code == 302, res.text[-500:]
    assert count(server, "inspection_photos") == before + 4


# 12.5 spreadsheet and image bombs -----------------------------------------------------------

def _bomb_xlsx(sheet_mb=300):
    """The real template whose sheet XML, padded with blank rows, unpacks to hundreds of MB; the
    file itself stays under a megabyte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as part:
                part.write(head)
                chunk = b"<row/>" * (MiB // 6)
                for _ in range(sheet_mb):
                    part.write(chunk)
                part.write(b"</sheetData>" + tail)
    return out.getvalue()


def _forged_dimension_xlsx():
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data).replace(
                    b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
                    b"</sheetData>")
            dst.writestr(item.filename, data)
    return out.getvalue()


def _png_bomb(side=20_000):
    """A valid PNG header claiming side x side grey pixels, its zeros deflated to a few hundred KB."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    packer, idat, row = zlib.compressobj(9), [], b"\0" * (side + 1)
    for _ in range(side):
        idat.append(packer.compress(row))
    idat.append(packer.flush())
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", b"".join(idat)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("kind", ["forged_dimension", "zip_bomb"])
def test_spreadsheet_bomb_refused_in_seconds_with_bounded_memory(server, kind):
    data = _forged_dimension_xlsx() if kind == "forged_dimension" else _bomb_xlsx()
    assert len(data) < MiB
    s = staff_session(server)
    html = s.get(server.url + "/staff/hours/manual", timeout=10).text
    before = count(server, "shifts")
    started = time.monotonic()
    res = s.post(server.url + "/staff/hours/manual/upload", timeout=60,
                 data={"csrf_token": csrf_token(html), "station_id": "1"}, files={"file": ("bomb.xlsx", data)})
    took = time.monotonic() - started
    assert res.status_code == 400, res.status_code
    assert took < 2, took
    assert worker_peak_rss_mb(server) < 300
    assert count(server, "shifts") == before
    # the person is told what is wrong
    assert ("解压后过大" in res.text) if kind == "zip_bomb" else ("志愿者编号" in res.text or "行" in res.text)


def test_image_bomb_refused_in_seconds_with_bounded_memory(server):
    bomb = _png_bomb()
    s = staff_session(server)
    before = count(server, "inspections")
    started = time.monotonic()
    res = s.post(server.url + "/staff/stations/1/inspections", timeout=60, allow_redirects=False,
                 data=inspection_form(s, server), files=[("photos", ("bomb.png", bomb, "image/png"))])
    took = time.monotonic() - started
    assert res.status_code == 400 and "像素" in res.text, (res.status_code, res.text[-300:])
    assert took < 2, took
    assert worker_peak_rss_mb(server) < 300
    assert count(server, "inspections") == before


def test_a_photo_that_is_not_an_image_is_refused(server):
    s = staff_session(server)
    before = count(server, "inspections")
    res = s.post(server.url + "/staff/stations/1/inspections", timeout=30, allow_redirects=False,
                 data=inspection_form(s, server),
                 files=[("photos", ("x.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"))])
    assert res.status_code == 400 and "JPEG/PNG/WebP" in res.text
    assert count(server, "inspections") == before


# 12.6 database faults: a held write lock, a full disk ---------------------------------------

def _garbage_events(n):
    """Well-formed events with unreadable badges: each is still stored (as rejected), so each is a write."""
    now = datetime.now(timezone.utc).isoformat()
    return [{"id": str(uuid.uuid4()), "token": "LF1.NOT-A-BADGE." + uuid.uuid4().hex, "scanned_at": now}
            for _ in range(n)]


def test_held_write_lock_answers_503_with_retry_after_within_seconds(server):
    kiosk = server.pair(1)
    holder = sqlite3.connect(server.instance / "leifeng.sqlite3", isolation_level=None, timeout=10)
    try:
        holder.execute("UPDATE devices SET last_seen_at = '2020-01-01T00:00:00+00:00'")  # due a touch
        holder.execute("BEGIN IMMEDIATE")  # a backup or a long job holds the write lock
        started = time.monotonic()
        res = requests.post(server.url + "/api/kiosk/scans", json={"events": _garbage_events(1)},
                            headers=kiosk, timeout=70)
        took = time.monotonic() - started
        assert res.status_code == 503, (res.status_code, res.text[:200])
        assert took < 6, took
        assert 0 < int(res.headers["Retry-After"]) <= 10
        error = res.json()["error"]
        assert error["code"] == "busy" and "再试" in error["message"] and "try again" in error["message_en"]
        # reads carry on, and the device's last-seen touch never fails them
        started = time.monotonic()
        assert requests.get(server.url + "/api/kiosk/station", headers=kiosk, timeout=70).status_code == 200
        assert time.monotonic() - started < 2
    finally:
        holder.execute("ROLLBACK") if holder.in_transaction else None
        holder.close()
    res = requests.post(server.url + "/api/kiosk/scans", json={"events": _garbage_events(1)}, headers=kiosk, timeout=10)
    assert res.status_code == 200


@pytest.fixture
def small_disk(tmp_path):
    """A 40 MB ext4 filesystem, loop-mounted, for the database alone (the log stays elsewhere)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small filesystem needs root")
    image, mount = tmp_path / "disk.img", tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["truncate", "-s", "40M", str(image)], check=True)
    subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", str(image)], check=True)
    try:
        subprocess.run(["mount", "-o", "loop", str(image), str(mount)], check=True, capture_output=True)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"cannot loop-mount here: {exc.stderr.decode()[:200]}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory):
    """Fill a filesystem to the last byte; returns the filler's path."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as out:
        for size in (MiB, 65536, 4096, 512, 1):
            block = b"\0" * size
            try:
                while out.write(block):
                    pass
            except OSError:
                pass
    return filler


def test_full_disk_answers_503_and_logs_the_error_once_with_a_count(tmp_path, small_disk):
    instance = tmp_path / "instance"
    instance.mkdir()
    srv = LiveServer(instance, env={"LEIFENG_DATABASE": str(small_disk / "leifeng.sqlite3")}).start()
    try:
        kiosk = srv.pair(1)
        filler = _fill(small_disk)
        statuses = []
        for _ in range(40):
            started = time.monotonic()
            res = requests.post(srv.url + "/api/kiosk/scans", json={"events": _garbage_events(200)},
                                headers=kiosk, timeout=70)
            statuses.append(res.status_code)
            assert res.status_code in (200, 503), (res.status_code, res.text[:300])
            if res.status_code == 503:
                assert time.monotonic() - started < 5
                assert int(res.headers["Retry-After"]) > 0
                assert res.json()["error"]["code"] == "storage_full", res.text
                assert "存储空间" in res.json()["error"]["message"] and "disk is full" in res.json()["error"]["message_en"]
        full = statuses.count(503)
        assert full >= 20, statuses
        log = (instance / "server.log").read_text(errors="replace")
        first_lines = [line for line in log.splitlines() if "database storage_full" in line and "again" not in line]
        assert len(first_lines) == 1, first_lines
        assert re.search(r"database storage_full .* \(again \d+ more times, (10|\d+) in all\)", log), log[-2000:]
        assert log.count("Traceback") == 0
        # room again: the same kiosk is served again, nothing was half-written
        filler.unlink()
        res = requests.post(srv.url + "/api/kiosk/scans", json={"events": _garbage_events(5)}, headers=kiosk, timeout=10)
        assert res.status_code == 200
    finally:
        srv.stop()
