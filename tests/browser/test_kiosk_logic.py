"""The kiosk's own rules, run in the browser with fixed clocks: the two-on-duty indicator, the
station's day in Asia/Shanghai, and what a scanner's odd keystrokes are normalised to."""
import json

import pytest

from tests.browser.conftest import db_rows, scan
from tests.live_server import ROOT

VECTORS = ROOT / "tests" / "rules" / "scan_folding_vectors.json"
pytestmark = pytest.mark.browser


def test_duty_level_windows_and_normalising(new_kiosk):
    page = new_kiosk(paired=False)
    got = page.evaluate("""async () => {
        const st = await import('/kiosk-static/js/station.js');
        const sc = await import('/kiosk-static/js/scanner.js');
        const station = {windows: {"0": [["08:00", "11:30"], ["14:30", "17:30"]], "6": []},
                         closed_dates: ["2026-03-09"]};
        // 2026-03-02 is a Monday; 23:30 UTC on Sunday 1 March is 07:30 Monday in Pu'er.
        const at = (iso) => st.today(station, st.localParts(new Date(iso)));
        return {
          early: at("2026-03-01T23:30:00Z"), open: at("2026-03-02T00:30:00+00:00"),
          lunch: at("2026-03-02T12:00:00+08:00"), closed: at("2026-03-09T09:00:00+08:00"),
          sunday: at("2026-03-08T09:00:00+08:00"),
          levels: [[3, true], [2, false], [1, true], [1, false], [0, true], [0, false]].map(([n, o]) => st.dutyLevel(n, o)),
          norm: [sc.normalise("ｌｆ１。ｖ０００００１．１．ａｂｃ"), sc.normalise(" lf1.v1.1.x\\n")],
          badge: [sc.looksLikeBadge("LF1.V000001.1.PIYCURIOP5YN6EEGPLYHQXAQRE"), sc.looksLikeBadge("LF1.V000001.1.PIYC")],
        };
    }""")
    assert got["early"]["now"]["weekday"] == 0 and got["early"]["now"]["hm"] == "07:30"
    assert got["early"]["open"] is False and len(got["early"]["windows"]) == 2
    assert got["open"]["open"] is True          # 08:30 Monday
    assert got["lunch"]["open"] is False
    assert got["closed"]["closed"] is True and got["closed"]["windows"] == []
    assert got["sunday"]["windows"] == [] and got["sunday"]["open"] is False
    assert got["levels"] == ["ok", "idle", "warn", "idle", "alert", "idle"]  # outside windows: neutral
    assert got["norm"] == ["LF1.V000001.1.ABC", "LF1.V1.1.X"]
    assert got["badge"] == [True, False]


def test_scanner_folds_with_the_servers_table(new_kiosk):
    """The shared vectors (tests/rules/scan_folding_vectors.json) through the kiosk's scanner.js."""
    vectors = json.loads(VECTORS.read_text("utf-8"))["vectors"]
    page = new_kiosk(paired=False)
    got = page.evaluate("""async (vectors) => {
        const sc = await import('/kiosk-static/js/scanner.js');
        return vectors.map((v) => { const f = sc.normalise(v.raw); return {folded: f, badge: sc.looksLikeBadge(f),
                                                                           plausible: sc.plausiblePayload(f)}; });
    }""", vectors)
    for vector, out in zip(vectors, got):
        assert out["folded"] == vector["folded"], vector
        assert out["badge"] is vector["badge"], vector
        if vector["badge"]:
            assert out["plausible"], vector


def test_a_badge_typed_with_a_shifted_dot_checks_in(live, new_kiosk, badges):
    """A scanner on another layout types ">" or "/" for "."; the kiosk sends it, the server reads it."""
    page = new_kiosk()
    person, token = badges.take()
    scan(page, token.replace(".", ">", 2).replace(".", "/"))
    page.wait_for_selector(".result.checked_in")
    assert db_rows(live, "SELECT outcome FROM scan_events WHERE volunteer_id ="
                         " (SELECT id FROM volunteers WHERE ref = ?)", (person["ref"],)) == [("checked_in",)]
