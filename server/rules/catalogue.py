"""The eleven station types of the city notice (guide part 4), as data."""

# Every type's list opens with the first and closes with the last two, in the notice's words (guide 四).
COMMON_SERVICES = ["各种知识宣传", "接收志愿者报名注册", "服务对象需求信息采集"]
STANDARD_WINDOWS = [["08:00", "11:30"], ["14:30", "17:30"]]
BANK_WINDOWS = [["09:00", "11:30"], ["14:30", "17:00"]]

SUPERVISING_UNITS = [
    "市卫计委", "人行普洱市中心支行", "市银保监分局", "县（区）文明办", "市交运局", "思茅机场",
    "市文旅局", "市科协", "市政务服务管理局", "中国电信普洱分公司", "中国移动普洱分公司", "市商务局",
]

COUNTY_OFFICE = "县（区）文明办"  # not a unit of its own: a station with no unit is its county office's

# The station types each unit usually supervises (notice 二.(三)); the city office edits them.
# A bank is under both of its units at once; a station of the other types with two units listed
# is under one of them (a bus station or the airport, a museum or the 科技馆, 电信 or 移动).
UNIT_TYPES = {
    "市卫计委": ["hospital"], "人行普洱市中心支行": ["bank"], "市银保监分局": ["bank"], "市交运局": ["transport"],
    "思茅机场": ["transport"], "市文旅局": ["culture", "scenic", "hotel"], "市科协": ["culture"],
    "市政务服务管理局": ["government"], "中国电信普洱分公司": ["telecom"], "中国移动普洱分公司": ["telecom"],
    "市商务局": ["supermarket"],
}
# The units a new station of a type starts under (the form can change them). The city's
# 政务服务中心 is under 市政务服务管理局, a county's 政务服务大厅 under its county office (notice 四.五);
# 公园广场 is named under no unit in the notice: the county office.
DEFAULT_UNITS = {
    "hospital": ["市卫计委"], "bank": ["人行普洱市中心支行", "市银保监分局"], "community": [],
    "transport": ["市交运局"], "culture": ["市文旅局"], "scenic": ["市文旅局"], "government": ["市政务服务管理局"],
    "telecom": [], "supermarket": ["市商务局"], "park": [], "hotel": ["市文旅局"],
}

# code, Chinese name, English name, extra services, windows, supervising units, items lent
_TYPES = [
    ("hospital", "医院", "Hospital", ["挂号就医就诊等咨询", "免费提供饮用水、轮椅等便民服务"],
     STANDARD_WINDOWS, ["市卫计委"], ["轮椅"]),
    ("bank", "银行", "Bank", ["转账汇款等咨询", "免费提供饮用水", "雨伞借用"],
     BANK_WINDOWS, ["人行普洱市中心支行", "市银保监分局"], ["雨伞"]),
    ("community", "社区", "Community", ["社保、计生、低保等咨询服务"],
     STANDARD_WINDOWS, ["县（区）文明办"], []),
    ("transport", "车站、机场", "Bus/rail station, airport", ["车票购换、寄存物品咨询"],
     STANDARD_WINDOWS, ["市交运局", "思茅机场"], []),
    ("culture", "公共文化场所", "Public cultural venue", ["市民参观引导、讲解咨询"],
     STANDARD_WINDOWS, ["市文旅局", "市科协"], []),
    ("scenic", "景区景点", "Scenic spot", ["游客购票、游览咨询", "雨伞、轮椅借用"],
     STANDARD_WINDOWS, ["市文旅局"], ["雨伞", "轮椅"]),
    ("government", "政务服务中心", "Government service centre",
     ["工商、公安、税务等业务咨询", "免费提供饮用水"],
     STANDARD_WINDOWS, ["市政务服务管理局"], []),
    ("telecom", "电信、移动营业厅", "Telecom / mobile hall", ["网络宽带、手机业务咨询", "免费提供饮用水"],
     STANDARD_WINDOWS, ["中国电信普洱分公司", "中国移动普洱分公司"], []),
    ("supermarket", "超市、商场", "Supermarket / mall", ["购物、物品寄存等咨询"],
     STANDARD_WINDOWS, ["市商务局"], []),
    ("park", "公园广场", "Park / square",
     ["义务指路、提供急救用品、摩托车及电动车打气等", "提供旅游、购物咨询等服务"],
     STANDARD_WINDOWS, ["县（区）文明办"], []),
    ("hotel", "宾馆酒店", "Hotel", ["义务引路", "物品寄存、雨伞提供等服务"],
     STANDARD_WINDOWS, ["市文旅局"], ["雨伞"]),
]

# Which days each type serves by default (notice 二: the host's normal working days); a station may
# change its own. "workdays" follows the official calendar (server/rules/windows.py).
TYPE_DAYS = {
    "hospital": "everyday", "bank": "everyday", "community": "workdays", "transport": "everyday",
    "culture": "everyday", "scenic": "everyday", "government": "workdays", "telecom": "everyday",
    "supermarket": "everyday", "park": "everyday", "hotel": "everyday",
}

STATION_TYPES = {
    code: {
        "code": code,
        "name": zh,
        "name_en": en,
        "services": COMMON_SERVICES[:1] + extra + COMMON_SERVICES[1:],
        "windows": windows,
        "units": units,
        "lends": lends,
        "days": TYPE_DAYS[code],
    }
    for code, zh, en, extra, windows, units, lends in _TYPES
}

COUNTIES = [
    ("530802", "思茅区"), ("530821", "宁洱哈尼族彝族自治县"), ("530822", "墨江哈尼族自治县"),
    ("530823", "景东彝族自治县"), ("530824", "景谷傣族彝族自治县"),
    ("530825", "镇沅彝族哈尼族拉祜族自治县"), ("530826", "江城哈尼族彝族自治县"),
    ("530827", "孟连傣族拉祜族佤族自治县"), ("530828", "澜沧拉祜族自治县"), ("530829", "西盟佤族自治县"),
]

DIRECTIONS = {"left": "左转", "right": "右转", "ahead": "直行", "upstairs": "上楼", "downstairs": "下楼"}


def weekly_windows(windows):
    """The same day windows on every weekday, as the station profile stores them."""
    return {str(day): [list(w) for w in windows] for day in range(7)}

# 普洱市个人志愿者注册登记表: the closed lists of its fields.
EMPLOYER_TYPES = ["政府机关单位", "事业单位和国有企业", "外资企业", "私营企业", "社会团体", "境外机构", "其他"]
SERVICE_ITEMS = [
    "党员服务", "新时代文明实践", "精准脱贫", "乡村振兴", "美丽中国建设", "河湖保护", "法律宣传", "法律维权",
    "社会治安", "医疗卫生", "健康教育", "禁毒防艾", "绿色环保", "爱心救助", "助残服务", "助老服务",
    "关爱留守儿童", "文明交通", "文明旅游", "邻里互助", "志愿家教", "庆典赛会服务", "亲情陪伴", "救灾服务",
    "救护服务", "双拥服务", "物资运输", "理发", "志愿接送", "培训宣讲", "照相摄像", "网站微信号维护", "视频编辑",
    "“一带一路”国门友好", "关爱“直过民族”服务", "礼仪服务", "其他",
]
POLITICAL_STATUS = ["中共党员", "中共预备党员", "共青团员", "民主党派", "群众"]
EDUCATION = ["小学", "初中", "高中", "中专", "大专", "本科", "研究生"]

# 普洱市志愿者服务对象需求采集表: its closed lists, and which categories are sensitive (PIPL art. 28).
REQUEST_CATEGORIES = ["老干部", "低保", "五保", "空巢老人", "残疾人", "困难职工", "下岗失业人员", "外来务工人员",
                      "留守儿童", "留守妇女", "青少年", "学生", "艾滋病病毒感染者", "吸毒人员", "社区矫正",
                      "监外执行", "其他"]
SENSITIVE_CATEGORIES = {"艾滋病病毒感染者", "吸毒人员", "社区矫正", "监外执行"}
REQUEST_ITEMS = ["法律维权", "医疗", "禁毒", "防艾", "环保", "爱心救助", "助残", "助老", "关爱留守妇女",
                 "关爱留守儿童", "志愿家教", "家政", "救灾", "救护", "其他"]
REQUEST_STATES = {
    "new": ("待受理", "Received"), "accepted": ("已受理", "Accepted"),
    "in_service": ("服务中", "In service"), "done": ("已办结", "Completed"),
    "cannot": ("无法办理", "Cannot be served"), "duplicate": ("重复", "Duplicate"),
    "transferred": ("已转办", "Transferred"),
}
# Which state may follow which.
REQUEST_FLOW = {
    "new": {"accepted", "cannot", "duplicate", "transferred"},
    "accepted": {"in_service", "cannot", "transferred"},
    "in_service": {"done", "cannot"},
    "done": set(), "cannot": set(), "duplicate": set(), "transferred": set(),
}
CONSENT_VERSION = "2026-11-v1"
CONSENT_TEXT = (
    "您填写的信息仅用于本站点为您安排志愿服务。涉及艾滋病病毒感染、戒毒、社区矫正、监外执行或健康状况等敏感个人信息，"
    "系统加密保存，只有负责本站点的工作人员在需要时查看，每次查看都有记录，不会对外公开。您可以不同意，"
    "也可以到站点当面办理。 / What you enter is used only to arrange volunteer service at this station. "
    "Sensitive details (HIV, drug treatment, community correction, parole, health) are encrypted; only staff "
    "responsible for this station can view them when needed, every view is logged, nothing is made public. "
    "You may decline and ask at the station in person instead.")
LEND_DAYS = 3

# English labels of the closed lists above (the stored value stays Chinese; pages in English show these).
LABELS_EN = {
    "男": "Male", "女": "Female",
    "中共党员": "CPC member", "中共预备党员": "CPC probationary member", "共青团员": "CYL member",
    "民主党派": "Democratic party member", "群众": "No party affiliation",
    "小学": "Primary school", "初中": "Junior middle school", "高中": "Senior high school",
    "中专": "Secondary vocational school", "大专": "Junior college", "本科": "Bachelor's degree",
    "研究生": "Postgraduate",
    "政府机关单位": "Government body", "事业单位和国有企业": "Public institution or state-owned enterprise",
    "外资企业": "Foreign-invested enterprise", "私营企业": "Private enterprise", "社会团体": "Social organisation",
    "境外机构": "Overseas organisation", "其他": "Other",
    "党员服务": "Party member service", "新时代文明实践": "New Era civilisation practice",
    "精准脱贫": "Targeted poverty relief", "乡村振兴": "Rural revitalisation",
    "美丽中国建设": "Beautiful China", "河湖保护": "Rivers and lakes protection", "法律宣传": "Legal education",
    "法律维权": "Legal rights help", "社会治安": "Public order", "医疗卫生": "Medical care",
    "健康教育": "Health education", "禁毒防艾": "Anti-drug and AIDS prevention", "绿色环保": "Environment",
    "爱心救助": "Charity relief", "助残服务": "Help for the disabled", "助老服务": "Help for the elderly",
    "关爱留守儿童": "Care for left-behind children", "文明交通": "Civilised traffic",
    "文明旅游": "Civilised tourism", "邻里互助": "Neighbourly help", "志愿家教": "Volunteer tutoring",
    "庆典赛会服务": "Events and games", "亲情陪伴": "Companionship", "救灾服务": "Disaster relief",
    "救护服务": "First aid", "双拥服务": "Support for the army", "物资运输": "Goods transport",
    "理发": "Haircuts", "志愿接送": "Volunteer transport", "培训宣讲": "Training and talks",
    "照相摄像": "Photo and video", "网站微信号维护": "Website and WeChat upkeep", "视频编辑": "Video editing",
    "“一带一路”国门友好": "Belt and Road border friendship", "关爱“直过民族”服务": "Care for directly-transitioned ethnic groups",
    "礼仪服务": "Etiquette service",
    "老干部": "Retired cadre", "低保": "Minimum living allowance", "五保": "Five guarantees",
    "空巢老人": "Elderly living alone", "残疾人": "Person with disability", "困难职工": "Worker in hardship",
    "下岗失业人员": "Laid-off or unemployed", "外来务工人员": "Migrant worker", "留守儿童": "Left-behind child",
    "留守妇女": "Left-behind woman", "青少年": "Young person", "学生": "Student",
    "艾滋病病毒感染者": "Person living with HIV", "吸毒人员": "Person with drug use", "社区矫正": "Community correction",
    "监外执行": "Sentence served outside prison",
    "医疗": "Medical care", "禁毒": "Anti-drug", "防艾": "AIDS prevention", "环保": "Environment",
    "助残": "Help for the disabled", "助老": "Help for the elderly", "关爱留守妇女": "Care for left-behind women",
    "家政": "Housekeeping", "救灾": "Disaster relief", "救护": "First aid",
    "各种知识宣传": "Public information", "接收志愿者报名注册": "Volunteer sign-up",
    "服务对象需求信息采集": "Collecting requests for help",
    "食品": "Food", "药品": "Medicine", "急救用品": "First-aid supplies", "饮用水": "Drinking water",
    "雨伞": "Umbrella", "轮椅": "Wheelchair",
    "左转": "Turn left", "右转": "Turn right", "直行": "Straight ahead", "上楼": "Upstairs", "下楼": "Downstairs",
}
LABELS_EN.update({t["name"]: t["name_en"] for t in STATION_TYPES.values()})
LABELS_EN.update({zh: en for zh, en in REQUEST_STATES.values()})
WEEKDAYS = [("周一", "Mon"), ("周二", "Tue"), ("周三", "Wed"), ("周四", "Thu"), ("周五", "Fri"), ("周六", "Sat"),
            ("周日", "Sun")]
