"""The shipped nginx site (deploy/nginx/leifeng.conf) with a self-signed certificate, in front of
two server processes (LEIFENG_WORKERS=2) and a real Redis: the kiosk through HTTPS in Chromium."""
import subprocess
import time
from pathlib import Path

import pytest
import requests
import urllib3

from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS, device_token, scan
from tests.live_server import ROOT, LiveServer, free_port
from tests.redis_server import redis_server

pytestmark = pytest.mark.browser
NGINX = "/usr/sbin/nginx"


def _site(app_port, http_port, https_port, cert, key):
    """The shipped site with this test's ports, paths and certificate, nothing else changed."""
    site = (ROOT / "deploy" / "nginx" / "leifeng.conf").read_text()
    for old, new in (("127.0.0.1:5000", f"127.0.0.1:{app_port}"), ("/opt/leifeng/", f"{ROOT}/"),
                     ("/etc/ssl/leifeng/fullchain.pem", str(cert)), ("/etc/ssl/leifeng/privkey.pem", str(key)),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"), ("listen [::]:80;", ""),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                     ("listen [::]:443 ssl http2;", "")):
        assert old in site, old
        site = site.replace(old, new)
    return site


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    for tool in (NGINX, "/usr/bin/openssl", CHROMIUM):
        if not Path(tool).exists():
            pytest.fail(f"{tool} 未安装 / is not installed: run scripts/ensure-services.sh and scripts/ensure-browser.sh")
    folder = tmp_path_factory.mktemp("nginx")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    nginx = None
    with redis_server(folder) as url:
        (folder / "app").mkdir()
        app = LiveServer(folder / "app", {"LEIFENG_WORKERS": "2", "LEIFENG_REDIS_URL": url,
                                          "LEIFENG_TRUSTED_PROXIES": "127.0.0.1"})
        try:
            app.start(timeout=90)
            http_port, https_port = free_port(), free_port()
            (folder / "site.conf").write_text(_site(app.port, http_port, https_port, cert, key))
            (folder / "nginx.conf").write_text(f"""
user root;
worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
    include {folder}/site.conf;
}}""")
            nginx = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
                                      str(folder / "nginx-error.log")], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
            base = f"https://127.0.0.1:{https_port}"
            urllib3.disable_warnings()
            deadline = time.monotonic() + 20
            while True:
                try:
                    if requests.get(base + "/healthz", verify=False, timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if nginx.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start: " + (folder / "nginx-error.log").read_text()[-2000:])
                time.sleep(0.1)
            yield app, base, f"http://127.0.0.1:{http_port}"
        finally:
            if nginx:
                nginx.kill()
                nginx.wait(10)
            app.stop()


def test_the_site_redirects_serves_files_limits_bodies_and_hides_metrics(proxied):
    app, base, plain = proxied
    moved = requests.get(plain + "/kiosk/", allow_redirects=False, timeout=10)
    assert moved.status_code == 301 and moved.headers["Location"].startswith("https://127.0.0.1")
    lib = requests.get(base + "/static/vendor/socket.io.min.js", verify=False, timeout=10)
    assert lib.ok and "public" in lib.headers["Cache-Control"] and "max-age=604800" in lib.headers["Cache-Control"]
    assert "Content-Security-Policy" not in lib.headers  # nginx served it, not the app
    css = requests.get(base + "/static/css/app.css", verify=False, timeout=10)
    assert css.ok and "max-age=3600" in css.headers["Cache-Control"]
    big = requests.post(base + "/api/kiosk/scans", data=b"x" * (2 * 1024 * 1024), verify=False, timeout=20,
                        headers={"Content-Type": "application/json"})
    assert big.status_code == 413
    assert requests.get(base + "/metrics", verify=False, timeout=10).status_code == 403  # forwarded
    local = requests.get(app.url + "/metrics", timeout=10)
    assert local.ok and "leifeng_workers 2.0" in local.text  # both processes alive and counted
    assert "Strict-Transport-Security" in requests.get(base + "/healthz", verify=False, timeout=10).headers


def test_kiosk_through_https_pairs_scans_and_hears_the_on_duty_push(proxied, pw, tmp_path):
    app, base, _plain = proxied
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS + ["--ignore-certificate-errors"])
    try:
        def context():
            return browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id="Asia/Shanghai",
                                       locale="zh-CN", ignore_https_errors=True)
        page = context().new_page()
        page.set_default_timeout(20000)
        page.goto(base + "/kiosk/")
        page.wait_for_selector("body[data-ready='1']")
        code = app.cli("pair", "--station", "1", "--json")["code"]
        page.fill("#pair-code", code)
        page.click("#pair-submit")
        page.wait_for_selector("#screen-home:not([hidden])")

        watchers = []
        for _ in range(3):  # kiosks on whichever worker the kernel gave them: each must hear the push
            watcher = context().new_page()
            watcher.set_default_timeout(20000)
            watcher.goto(base + "/kiosk/")
            watcher.wait_for_selector("body[data-ready='1']")
            data = device_token(app, 1)
            import json
            watcher.evaluate("v => localStorage.setItem('leifeng.kiosk.device', v)",
                             json.dumps({"device_token": data["device_token"], "station_id": data["station"]["id"]}))
            watcher.reload()
            watcher.wait_for_selector("#screen-home:not([hidden])")
            watchers.append((watcher, int(watcher.text_content("#duty-status .duty-count"))))

        vols = [v for v in app.cli("volunteers", "--station", "1", "--json") if v["status"] == "active"]
        from server.rules.badges import make_badge_token
        scan(page, make_badge_token(app.secret(), vols[0]["ref"], 1))
        page.wait_for_selector(".result.checked_in, .result.checked_out")
        went_in = page.is_visible(".result.checked_in")
        for watcher, before in watchers:
            expected = before + 1 if went_in else before - 1
            watcher.wait_for_function("n => +document.querySelector('#duty-status .duty-count').textContent === n",
                                      arg=expected)
        page.screenshot(path=str(Path("/tmp") / "leifeng-kiosk-behind-nginx.png"))
        transports = page.evaluate("() => performance.getEntriesByType('resource').map(e => e.name)"
                                   ".filter(n => n.includes('/socket.io/'))")
        assert not [t for t in transports if "transport=polling" in t]
    finally:
        browser.close()
