"""The eleven station types of the city notice (guide part 4), as data."""

COMMON_SERVICES = ["各种知识宣传", "接收志愿者报名注册", "服务对象需求信息采集"]
STANDARD_WINDOWS = [["08:00", "11:30"], ["14:30", "17:30"]]
BANK_WINDOWS = [["09:00", "11:30"], ["14:30", "17:00"]]

SUPERVISING_UNITS = [
    "市卫计委", "人行普洱市中心支行", "市银保监分局", "县（区）文明办", "市交运局", "思茅机场",
    "市文旅局", "市科协", "市政务服务管理局", "中国电信普洱分公司", "中国移动普洱分公司", "市商务局",
]

# code, Chinese name, English name, extra services, windows, supervising units, items lent
_TYPES = [
    ("hospital", "医院", "Hospital", ["挂号就医就诊等咨询", "免费提供饮用水", "轮椅借用"],
     STANDARD_WINDOWS, ["市卫计委"], ["轮椅"]),
    ("bank", "银行", "Bank", ["转账汇款等咨询", "免费提供饮用水", "雨伞借用"],
     BANK_WINDOWS, ["人行普洱市中心支行", "市银保监分局"], ["雨伞"]),
    ("community", "社区", "Community", ["社保、计生、低保等咨询服务"],
     STANDARD_WINDOWS, ["县（区）文明办"], []),
    ("transport", "车站、机场", "Bus/rail station, airport", ["车票购换、寄存物品咨询"],
     STANDARD_WINDOWS, ["市交运局", "思茅机场"], []),
    ("culture", "公共文化场所", "Public cultural venue", ["市民参观引导、讲解咨询"],
     STANDARD_WINDOWS, ["市文旅局", "市科协"], []),
    ("scenic", "景区景点", "Scenic spot", ["游客购票、游览咨询", "雨伞借用", "轮椅借用"],
     STANDARD_WINDOWS, ["市文旅局"], ["雨伞", "轮椅"]),
    ("government", "政务服务中心", "Government service centre",
     ["工商、公安、税务等业务咨询", "免费提供饮用水"],
     STANDARD_WINDOWS, ["市政务服务管理局"], []),
    ("telecom", "电信、移动营业厅", "Telecom / mobile hall", ["网络宽带、手机业务咨询", "免费提供饮用水"],
     STANDARD_WINDOWS, ["中国电信普洱分公司", "中国移动普洱分公司"], []),
    ("supermarket", "超市、商场", "Supermarket / mall", ["购物、物品寄存等咨询"],
     STANDARD_WINDOWS, ["市商务局"], []),
    ("park", "公园广场", "Park / square",
     ["义务指路", "提供急救用品", "摩托车及电动车打气", "提供旅游、购物咨询"],
     STANDARD_WINDOWS, ["县（区）文明办"], []),
    ("hotel", "宾馆酒店", "Hotel", ["义务引路", "物品寄存", "雨伞提供"],
     STANDARD_WINDOWS, ["市文旅局"], ["雨伞"]),
]

STATION_TYPES = {
    code: {
        "code": code,
        "name": zh,
        "name_en": en,
        "services": extra + COMMON_SERVICES,
        "windows": windows,
        "units": units,
        "lends": lends,
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
