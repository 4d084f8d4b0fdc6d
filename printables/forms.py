"""The two paper forms, boxed like the originals: 个人志愿者注册登记表 and 服务对象需求采集表."""
from printables.canvas import DARK_RED, INK, Page, mm
from printables.formgrid import Grid

EMPLOYER_TYPES = ["政府机关单位", "事业单位和国有企业", "外资企业", "私营企业", "社会团体", "境外机构", "其他"]
SERVICE_ITEMS = [
    "党员服务", "新时代文明实践", "精准脱贫", "乡村振兴", "美丽中国建设", "河湖保护", "法律宣传", "法律维权",
    "社会治安", "医疗卫生", "健康教育", "禁毒防艾", "绿色环保", "爱心救助", "助残服务", "助老服务",
    "关爱留守儿童", "文明交通", "文明旅游", "邻里互助", "志愿家教", "庆典赛会服务", "亲情陪伴", "救灾服务",
    "救护服务", "双拥服务", "物资运输", "理发", "志愿接送", "培训宣讲", "照相摄像", "网站微信号维护", "视频编辑",
    "“一带一路”国门友好", "关爱“直过民族”服务", "礼仪服务", "其他"]
CATEGORIES = ["老干部", "低保", "五保", "空巢老人", "残疾人", "困难职工", "下岗失业人员", "外来务工人员", "留守儿童",
              "留守妇女", "青少年", "学生", "艾滋病病毒感染者", "吸毒人员", "社区矫正", "监外执行", "其他"]
REQUEST_ITEMS = ["法律维权", "医疗", "禁毒", "防艾", "环保", "爱心救助", "助残", "助老", "关爱留守妇女", "关爱留守儿童",
                 "志愿家教", "家政", "救灾", "救护", "其他"]

# English key -> the form's own field name; either may be used in the data.
VOLUNTEER_FIELDS = {
    "org": "注册机构", "date": "日期", "name": "姓名", "position_title": "职务/职称", "political_status": "政治面貌",
    "gender": "性别", "birth_date": "出生日期", "ethnicity": "民族", "id_number": "身份证号", "education": "学历",
    "school": "毕业学校", "major": "专业", "employer": "工作（学习）单位", "job": "职务", "employer_type": "工作单位性质",
    "address": "通讯地址", "postcode": "邮编", "email": "电子邮箱", "mobile": "移动电话", "qq": "QQ号",
    "office_phone": "办公电话", "resume": "个人简历", "service_items": "志愿服务项目", "approval_opinion": "审批机构意见"}
REQUEST_FIELDS = {
    "date": "日期", "category": "服务对象类别", "name": "姓名", "gender": "性别", "age": "年龄", "occupation": "职业",
    "employer": "现（原）工作（学习）单位", "job": "职务", "home_phone": "宅电", "mobile": "手机", "address": "现居住地址",
    "family": "家庭主要成员", "reason": "申请原因", "service_item": "申请服务项目", "service_time": "服务时间",
    "volunteer_count": "服务志愿者人数", "service_place": "服务地点", "leader_opinion": "项目服务队长意见",
    "service_record": "志愿者服务情况", "feedback": "服务对象意见和建议"}
FAMILY_FIELDS = {"relation": "称谓", "name": "姓名", "employer": "工作单位", "job": "职务", "workplace": "工作地点"}
BLANK_DATE = "　　　年　　月　　日"


def _reader(values, fields):
    """g(key): the value under the English key or the form's Chinese name, "" when absent."""
    def g(key):
        value = values.get(key, values.get(fields.get(key, key)))
        return "" if value is None else value
    return g


def _chosen(value):
    return {value} if isinstance(value, str) else set(value or [])


def _title(page, title, left, right):
    page.fitted((mm(15), mm(13), page.w - mm(15), mm(28)), title, mm(8.5), bold=True, fill=DARK_RED)
    page.fitted((mm(15), mm(31), page.w * 0.6, mm(38)), left, mm(3.9), mm(2.5), align="left", fill=INK)
    page.fitted((page.w * 0.6, mm(31), page.w - mm(15), mm(38)), right, mm(3.9), mm(2.5), align="right", fill=INK)


def registration_form(data):
    """普洱市个人志愿者注册登记表, blank or filled (the caller masks the ID number)."""
    g = _reader(data.get("volunteer") or {}, VOLUNTEER_FIELDS)
    page = Page("A4")
    _title(page, "普洱市个人志愿者注册登记表", f"注册机构：{g('org') or '＿' * 12}", f"日期：{g('date') or BLANK_DATE}")
    grid = Grid(page, mm(40), [1.1, 1.55, 1.1, 1.55, 1.0, 1.4])
    L, V = "label", "value"
    grid.row([(L, "姓　名", 1), (V, g("name"), 1), (L, "职务/职称", 1), (V, g("position_title"), 1),
              (L, "政治面貌", 1), (V, g("political_status"), 1)])
    grid.row([(L, "性　别", 1), (V, g("gender"), 1), (L, "出生日期", 1), (V, g("birth_date"), 1),
              (L, "民　族", 1), (V, g("ethnicity"), 1)])
    grid.row([(L, "身份证号", 1), (V, g("id_number"), 3), (L, "学　历", 1), (V, g("education"), 1)])
    grid.row([(L, "毕业学校", 1), (V, g("school"), 3), (L, "专　业", 1), (V, g("major"), 1)])
    grid.row([(L, "工作（学习）\u200b单位", 1), (V, g("employer"), 3), (L, "职　务", 1), (V, g("job"), 1)])
    top = grid.ticks(EMPLOYER_TYPES, _chosen(g("employer_type")), 4, row_h=mm(7.5))
    grid.label((*_col(grid, 0, top), grid.y), "工作单位性质")
    grid.row([(L, "通讯地址", 1), (V, g("address"), 3), (L, "邮　编", 1), (V, g("postcode"), 1)])
    grid.row([(L, "电子邮箱", 1), (V, g("email"), 3), (L, "移动电话", 1), (V, g("mobile"), 1)])
    grid.row([(L, "QQ号", 1), (V, g("qq"), 3), (L, "办公电话", 1), (V, g("office_phone"), 1)])
    top = grid.block(g("resume"), mm(34))
    grid.label((*_col(grid, 0, top), grid.y), "个人简历")
    top = grid.ticks(SERVICE_ITEMS, _chosen(g("service_items")), 4, row_h=mm(6.4),
                     note="在相应服务项目划“√”，可选多项")
    grid.label((*_col(grid, 0, top), grid.y), "志愿服务项目")
    top = grid.block(g("approval_opinion"), grid.remaining(page.h - mm(16)), signature="签章（签字）")
    grid.label((*_col(grid, 0, top), grid.y), "审批机构意见")
    return [page]


def _col(grid, col, top):
    """(x0, top, x1) of a column, for a label box that spans rows already drawn."""
    x0, x1 = grid.span(col)
    return x0, top, x1


def request_form(data):
    """普洱市志愿者服务对象需求采集表, blank or filled (the caller masks what must be masked)."""
    g = _reader(data.get("request") or {}, REQUEST_FIELDS)
    page = Page("A4")
    _title(page, "普洱市志愿者服务对象需求采集表", "", f"日期：{g('date') or BLANK_DATE}")
    grid = Grid(page, mm(40), [1.05, 1.0, 1.3, 1.05, 1.2, 0.85, 1.15])
    L, V = "label", "value"
    top = grid.ticks(CATEGORIES, _chosen(g("category")), 5, row_h=mm(6.6), start=1)
    grid.label((*_col(grid, 0, top), grid.y), "服务对象类别")
    top = grid.row([(L, "姓　名", 1), (V, g("name"), 1), (L, "性　别", 1), (V, g("gender"), 1), (L, "年　龄", 1),
                    (V, g("age"), 1)], start=1)
    grid.row([(L, "职　业", 1), (V, g("occupation"), 1), (L, "现（原）工作\u200b（学习）单位", 1), (V, g("employer"), 1),
              (L, "职　务", 1), (V, g("job"), 1)], height=mm(12), start=1)
    grid.row([(L, "联系方式", 1), (V, f"宅电：{g('home_phone')}", 2), (V, f"手机：{g('mobile')}", 3)], start=1)
    grid.row([(L, "现居住地址", 1), (V, g("address"), 5)], start=1)
    grid.side_label("服务对象情况", top)
    top = grid.row([(L, "称　谓", 1), (L, "姓　名", 1), (L, "工作单位", 2), (L, "职　务", 1), (L, "工作地点", 1)],
                   height=mm(8.5), start=1)
    family = [m for m in (g("family") or []) if isinstance(m, dict)][:5]
    for i in range(5):
        m = _reader(family[i] if i < len(family) else {}, FAMILY_FIELDS)
        grid.row([(V, m("relation"), 1), (V, m("name"), 1), (V, m("employer"), 2), (V, m("job"), 1),
                  (V, m("workplace"), 1)], height=mm(8.5), start=1)
    grid.side_label("家庭主要成员", top)
    top = grid.block(g("reason"), mm(24))
    grid.label((*_col(grid, 0, top), grid.y), "申请原因")
    top = grid.ticks(REQUEST_ITEMS, _chosen(g("service_item")), 5, row_h=mm(7))
    grid.label((*_col(grid, 0, top), grid.y), "申请服务项目")
    grid.row([(L, "服务时间", 1), (V, g("service_time"), 2), (L, "服务志愿者\u200b人数", 1), (V, g("volunteer_count"), 1),
              (L, "服务地点", 1), (V, g("service_place"), 1)], height=mm(12))
    rest = grid.remaining(page.h - mm(16))
    for label, key, signature in (("项目服务\u200b队长意见", "leader_opinion", "签名"),
                                  ("志愿者\u200b服务情况", "service_record", None),
                                  ("服务对象\u200b意见和建议", "feedback", "签名")):
        top = grid.block(g(key), rest / 3, signature=signature)
        grid.label((*_col(grid, 0, top), grid.y), label)
    return [page]
