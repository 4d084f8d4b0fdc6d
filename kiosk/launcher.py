"""Open the kiosk page full-screen in Chromium on a station PC (python run.py kiosk)."""
import shutil
import subprocess
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def command(url, browser, profile, camera=True, printing=False):
    """The Chromium command line: kiosk mode, no pop-ups, a profile that keeps the pairing."""
    args = [browser, "--kiosk", f"--app={url}", f"--user-data-dir={profile}", "--no-first-run",
            "--noerrdialogs", "--disable-infobars", "--disable-session-crashed-bubble",
            "--disable-translate", "--overscroll-history-navigation=0", "--disable-pinch",
            "--autoplay-policy=no-user-gesture-required", "--check-for-update-interval=31536000"]
    if printing:
        # 打印回执 goes straight to the default printer (the station's 58/80 mm receipt printer),
        # with no print dialog that nobody at a kiosk could answer.
        args.append("--kiosk-printing")
    if camera:
        # The station's own camera: grant it without a prompt nobody at a kiosk can answer.
        args.append("--use-fake-ui-for-media-stream")
        origin = "/".join(url.split("/", 3)[:3])
        if origin.startswith("http://") and not origin.split("//", 1)[1].split(":")[0] in ("localhost", "127.0.0.1"):
            # Browsers give the camera only to secure origins; a server on the station LAN over
            # plain HTTP is trusted explicitly (prefer HTTPS where the city has a certificate).
            args.append(f"--unsafely-treat-insecure-origin-as-secure={origin}")
    return args


def launch(url, profile=None, dry_run=False, camera=True, printing=False):
    """Start the browser (or print its command with dry_run); returns the exit code."""
    browser = find_browser()
    if browser is None:
        print("没有找到 Chromium：请 apt-get install chromium / Chromium not found: apt-get install chromium")
        return 2
    profile = Path(profile or Path.home() / ".config" / "leifeng-kiosk")
    profile.mkdir(parents=True, exist_ok=True)
    args = command(url, browser, profile, camera, printing)
    if dry_run:
        print(" ".join(args))
        return 0
    return subprocess.call(args)
