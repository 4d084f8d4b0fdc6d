"""Who may see which stations: the one place a staff scope becomes SQL."""
from dataclasses import dataclass

ROLES = {
    "city": ("市文明办", "City office"),
    "county": ("县（区）文明办", "County office"),
    "unit": ("业务主管单位", "Supervising unit"),
    "station": ("站点负责人", "Station manager"),
    "federation": ("市志愿服务联合会", "Volunteer federation"),
}
# Who may do what inside their stations: the one table views, templates (`current_user.scope.may`)
# and socket handlers ask. The federation's scope is volunteers' hours, stars, rewards,
# certification and the export: nothing of citizens' requests, lending, inspections, photos,
# supplies or rosters.
STATION_OFFICES = ("city", "county", "unit", "station")
STATION_KEEPERS = ("city", "county", "station")   # who runs a station day to day
OVERSEERS = ("city", "county", "unit", "federation")
PERMISSIONS = {
    "citizen_requests": STATION_OFFICES,  # the inbox, a request's details, its printed form
    "loans": STATION_OFFICES,
    "station_care": STATION_OFFICES,      # see inspections and their photos, supplies, rosters
    "inspect_stations": ("city", "county", "unit"),  # record an inspection visit
    "rectify_findings": STATION_KEEPERS,  # mark an inspection's findings fixed
    "plan_rosters": STATION_KEEPERS,
    "keep_supplies": STATION_KEEPERS,     # the supplies list and its checks
    "record_training": STATION_OFFICES,
    "manage_kiosks": STATION_KEEPERS,     # pairing codes, paired kiosks, revoking one
    "create_stations": ("city", "county"),
    "edit_station_profile": STATION_KEEPERS,
    "edit_station_identity": ("city", "county"),  # name, type, county, units: locked for a manager
    "close_stations": ("city", "county"), # close (never delete) a station, and reopen it
    "manage_units": ("city",),            # /staff/units: the supervising units and their usual types
    "watch_many_stations": OVERSEERS,     # the live board shows alerts before stations
    "edit_volunteers": STATION_KEEPERS,   # register, edit, badge photo, reissue a badge
    "approve_volunteers": STATION_KEEPERS + ("federation",),  # approve, suspend, reactivate
    "mark_service_cards": STATION_KEEPERS,  # records written into the paper 志愿服务证
    "full_names": ("station",),           # a station manager sees its own members' names in full
    "manage_users": ("city", "county"),   # /staff/users; a county only its stations' managers
    "audit_log": ("city",),               # /staff/audit: every change and every reveal
    "review_hours": STATION_KEEPERS,      # 时长核实: the station's review and manual entries
    "approve_hours": ("city", "federation"),         # 时长审批: approval, stars and rewards
    "export_hours": ("city", "county", "federation"),
}


def roles_that_may(action):
    """The roles allowed an action (for staff_only(*roles_that_may(...)))."""
    return PERMISSIONS[action]


@dataclass(frozen=True)
class Scope:
    role: str
    county_id: int | None = None
    unit_id: int | None = None
    station_id: int | None = None

    @classmethod
    def of(cls, user):
        return cls(user["role"], user.get("county_id"), user.get("unit_id"), user.get("station_id"))

    @property
    def everywhere(self):
        return self.role in ("city", "federation")

    def may(self, action):
        return self.role in PERMISSIONS[action]

    def sees_full_name(self, station_ids):
        """Whether a volunteer of these stations shows unmasked: a manager's own members."""
        return self.may("full_names") and self.station_id in set(station_ids or ())

    @property
    def bound_county(self):
        """The county a county office is held to (its exports, new stations, managers), else None."""
        return self.county_id if self.role == "county" else None


def station_clause(scope, alias="s"):
    """A WHERE fragment and its parameters that keep only the stations inside the scope."""
    if scope is None:
        return "0", []
    if scope.everywhere:
        return "1", []
    if scope.role == "county":
        return f"{alias}.county_id = ?", [scope.county_id]
    if scope.role == "unit":  # every station the unit supervises, alone or with another unit
        return (f"EXISTS (SELECT 1 FROM station_units su WHERE su.station_id = {alias}.id"
                f" AND su.unit_id = ?)"), [scope.unit_id]
    if scope.role == "station":
        return f"{alias}.id = ?", [scope.station_id]
    return "0", []


def covers_station(scope, station):
    """Whether a station row (with county_id, unit_ids, id) lies inside the scope."""
    if scope is None:
        return False
    unit_ids = station.get("unit_ids")
    if unit_ids is None:
        unit_ids = [station.get("unit_id")]
    return {
        "city": True, "federation": True,
        "county": station["county_id"] == scope.county_id,
        "unit": scope.unit_id in unit_ids,
        "station": station["id"] == scope.station_id,
    }.get(scope.role, False)
