"""A volunteer never trained is told so at check-in (issue 7: flagged at their first check-in)."""
import pytest

from server.rules.badges import make_badge_token
from tests.browser.conftest import db_rows, scan

pytestmark = pytest.mark.browser


def test_untrained_volunteer_is_flagged_at_check_in(live, new_kiosk, badges):
    untrained = db_rows(live, "SELECT v.ref FROM volunteers v WHERE v.status = 'active' AND NOT EXISTS"
                              " (SELECT 1 FROM training_attendees a WHERE a.volunteer_id = v.id)"
                              " AND NOT EXISTS (SELECT 1 FROM shifts s WHERE s.volunteer_id = v.id AND s.ended_at IS NULL)"
                              " ORDER BY v.id DESC")
    ref = next(r for (r,) in untrained if r not in badges.used)
    badges.used.add(ref)
    page = new_kiosk()
    scan(page, make_badge_token(live.secret(), ref, 1))
    page.wait_for_selector(".result.checked_in [data-testid=untrained]")
