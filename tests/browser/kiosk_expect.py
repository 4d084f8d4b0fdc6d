"""What the kiosk should say at this moment, worked out apart from the page (station windows)."""
import json
from datetime import datetime, timezone

from server.rules.windows import in_window
from tests.browser.conftest import db_rows


def check_in_title(live, station_id):
    """签到成功 inside the station's windows now; outside them the kiosk says the time does not count."""
    windows, closed = db_rows(live, "SELECT windows, closed_dates FROM stations WHERE id = ?", (station_id,))[0]
    open_now = in_window(datetime.now(timezone.utc), json.loads(windows), json.loads(closed or "[]"))
    return "签到成功" if open_now else "已签到 · 非服务时间"
