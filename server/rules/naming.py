"""The notice's naming rule for stations."""
from server.rules.errors import RuleError

COMMUNITY_SUFFIXES = ("社区学雷锋志愿服务站", "社区志愿者服务站")
OTHER_SUFFIX = "学雷锋志愿服务点"
MAX_LEN = 40


def check_station_name(name, type_code):
    """Raise RuleError unless the name follows the rule for its type."""
    name = (name or "").strip()
    if not name or len(name) > MAX_LEN:
        raise RuleError("name_length", f"站点名称不能为空，且不超过 {MAX_LEN} 字",
                        f"Name is required, at most {MAX_LEN} characters", field="name")
    if type_code == "community":
        # The suffix alone is not a name: the notice's ××× (the community) must come first.
        if not any(name.endswith(s) and len(name) > len(s) for s in COMMUNITY_SUFFIXES):
            raise RuleError("name_rule", "社区站点应命名为“×××社区学雷锋志愿服务站”或“×××社区志愿者服务站”",
                            "A community station is named '×××社区学雷锋志愿服务站' or '×××社区志愿者服务站'",
                            field="name")
    elif not name.endswith(OTHER_SUFFIX) or name == OTHER_SUFFIX:
        raise RuleError("name_rule", "站点应命名为“×××学雷锋志愿服务点”",
                        "A station is named '×××学雷锋志愿服务点'", field="name")
