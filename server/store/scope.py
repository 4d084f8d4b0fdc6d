"""Who may see which stations: the one place a staff scope becomes SQL."""
from dataclasses import dataclass

ROLES = {
    "city": ("市文明办", "City office"),
    "county": ("县（区）文明办", "County office"),
    "unit": ("业务主管单位", "Supervising unit"),
    "station": ("站点负责人", "Station manager"),
    "federation": ("市志愿服务联合会", "Volunteer federation"),
}


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

    def may_edit_station_profile(self):
        return self.role in ("city", "county", "station")

    def may_create_stations(self):
        return self.role in ("city", "county")


def station_clause(scope, alias="s"):
    """A WHERE fragment and its parameters that keep only the stations inside the scope."""
    if scope is None:
        return "0", []
    if scope.everywhere:
        return "1", []
    if scope.role == "county":
        return f"{alias}.county_id = ?", [scope.county_id]
    if scope.role == "unit":
        return f"{alias}.unit_id = ?", [scope.unit_id]
    if scope.role == "station":
        return f"{alias}.id = ?", [scope.station_id]
    return "0", []


def covers_station(scope, station):
    """Whether a station row (with county_id, unit_id, id) lies inside the scope."""
    if scope is None:
        return False
    return {
        "city": True, "federation": True,
        "county": station["county_id"] == scope.county_id,
        "unit": station["unit_id"] == scope.unit_id,
        "station": station["id"] == scope.station_id,
    }.get(scope.role, False)
