"""The dashboard's order, filters, counts and county tiles: plain functions over station rows."""

# Worst first: nobody on duty in a window, then only one, then the rest (covered, then closed now).
SEVERITY = ("red", "amber", "green", "grey")
STATES = {
    "red": ("无人在岗", "Nobody on duty"),
    "amber": ("仅 1 人", "Only one"),
    "green": ("正常", "Two or more"),
    "grey": ("非服务时间", "Outside service hours"),
}


def by_severity(rows):
    """Stations worst first; among equals, more open alerts first, then county and id."""
    return sorted(rows, key=lambda r: (SEVERITY.index(r["status"]), -r.get("open_alerts", 0),
                                       r.get("county_code") or "", r["id"]))


def matches(row, county_id=None, type_code=None, unit_id=None, query=None):
    """Whether a station row passes the filters (state aside: the counts are taken before it)."""
    if county_id and row["county_id"] != county_id:
        return False
    if type_code and row["type_code"] != type_code:
        return False
    if unit_id and unit_id not in (row.get("unit_ids") or ()):
        return False
    if query:
        text = " ".join(str(row.get(k) or "") for k in ("name", "county", "type_name", "unit", "address"))
        return query.casefold() in text.casefold()
    return True


def tally(rows):
    """How many stations are in each state, every state named even at zero."""
    counts = {key: 0 for key in SEVERITY}
    for r in rows:
        counts[r["status"]] += 1
    return counts


def county_tiles(rows, counties):
    """One tile per county in the catalogue's order: its red, amber and green counts and the rest."""
    tiles = {c["id"]: {"id": c["id"], "name": c["name"], "code": c["code"], "counts": tally([]), "total": 0}
             for c in counties}
    for r in rows:
        tile = tiles.get(r["county_id"])
        if tile is not None:
            tile["counts"][r["status"]] += 1
            tile["total"] += 1
    out = [t for t in tiles.values() if t["total"]]
    for t in out:  # the tile's own colour: its worst station now
        t["worst"] = next((k for k in SEVERITY if t["counts"][k]), "grey")
    return out


def group_alerts(alerts, station_order):
    """Open alerts grouped by station, the stations in the dashboard's order (worst first)."""
    rank = {sid: n for n, sid in enumerate(station_order)}
    groups = {}
    for a in alerts:
        groups.setdefault(a["station_id"], {"station_id": a["station_id"], "station": a["station"],
                                            "alerts": []})["alerts"].append(a)
    return sorted(groups.values(), key=lambda g: (rank.get(g["station_id"], len(rank)), g["station_id"]))
