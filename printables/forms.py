"""The two paper forms, boxed like the originals: volunteer registration and service demand."""
from printables.canvas import DARK_RED, GREY, INK, Page, mm
from printables.fonts import font

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


class Grid:
    """Rows of labelled boxes across the page, like a government form's table."""

    def __init__(self, page, top, margin=mm(15)):
        self.page, self.y, self.x0, self.x1 = page, top, margin, page.w - margin

    def row(self, cells, height=mm(11)):
        """cells: (label, None, share) is a shaded label; (text, "", share) a value box."""
        total = sum(c[2] for c in cells)
        x = self.x0
        for label, value, share in cells:
            w = (self.x1 - self.x0) * share / total
            box = (x, self.y, x + w, self.y + height)
            self.page.rect(box, width=3)
            if value is None:
                self.page.draw.rectangle((box[0] + 2, box[1] + 2, box[2] - 2, box[3] - 2), fill=(244, 238, 234))
                self.page.fitted((box[0] + mm(1), box[1], box[2] - mm(1), box[3]), label, mm(4), mm(2), bold=True)
            else:
                self.page.fitted((box[0] + mm(1.5), box[1] + mm(0.5), box[2] - mm(1.5), box[3] - mm(0.5)),
                                 str(value or label), mm(4), mm(2), align="left")
            x += w
        self.y += height

    def ticks(self, label, options, chosen, height, columns=4, label_share=0.16):
        """A labelled box of tick boxes, ticked where chosen."""
        lw = (self.x1 - self.x0) * label_share
        self.page.rect((self.x0, self.y, self.x1, self.y + height), width=3)
        self.page.rect((self.x0, self.y, self.x0 + lw, self.y + height), width=3, fill=(244, 238, 234))
        self.page.fitted((self.x0 + mm(1), self.y, self.x0 + lw - mm(1), self.y + height), label, mm(4), mm(2),
                         bold=True)
        cw = (self.x1 - self.x0 - lw) / columns
        rows = (len(options) + columns - 1) // columns
        rh = height / rows
        f = font(mm(3.3))
        for i, option in enumerate(options):
            x = self.x0 + lw + (i % columns) * cw + mm(2)
            y = self.y + (i // columns) * rh + rh / 2
            box = (x, y - mm(1.8), x + mm(3.6), y + mm(1.8))
            self.page.rect(box, width=3)
            if option in chosen:
                self.page.line([(box[0] + mm(0.6), y), (x + mm(1.5), box[3] - mm(0.5)), (box[2] + mm(0.6), box[1] - mm(0.8))],
                               width=mm(0.6), fill=DARK_RED)
            self.page.fitted((x + mm(5), y - rh / 2, x + cw - mm(3), y + rh / 2), option, f.size, mm(2), align="left")
        self.y += height

    def block(self, label, text, height, label_share=0.16):
        lw = (self.x1 - self.x0) * label_share
        self.page.rect((self.x0, self.y, self.x1, self.y + height), width=3)
        self.page.rect((self.x0, self.y, self.x0 + lw, self.y + height), width=3, fill=(244, 238, 234))
        self.page.fitted((self.x0 + mm(1), self.y, self.x0 + lw - mm(1), self.y + height), label, mm(4), mm(2),
                         bold=True)
        if text:
            self.page.fitted((self.x0 + lw + mm(2), self.y + mm(2), self.x1 - mm(2), self.y + height - mm(2)),
                             str(text), mm(4), mm(2), align="left", valign="top")
        self.y += height

    def signature(self, label, text, height, label_share=0.16):
        self.block(label, text, height, label_share)
        f = font(mm(3.6))
        self.page.text((self.x1 - mm(75), self.y - mm(5)), "（盖章）签名：             年     月     日", f, INK)


def _title(page, title):
    page.fitted((mm(15), mm(14), page.w - mm(15), mm(30)), title, mm(9), bold=True, fill=DARK_RED)


def registration_form(data):
    """普洱市个人志愿者注册登记表, blank or filled (the caller masks the ID number)."""
    v = data.get("volunteer") or {}
    g = lambda k: v.get(k) or ""  # noqa: E731
    page = Page("A4")
    _title(page, "普洱市个人志愿者注册登记表")
    f = font(mm(3.8))
    page.text((mm(15), mm(38)), f"注册机构：{g('org') or '＿＿＿＿＿＿＿＿＿＿'}", f)
    page.text((page.w - mm(15), mm(38)), f"日期：{g('date') or '　　年　月　日'}", f, anchor="ra")
    grid = Grid(page, mm(44))
    grid.row([("姓名", None, 1), (g("name"), "", 1.4), ("职务/职称", None, 1), (g("position_title"), "", 1.4),
              ("政治面貌", None, 1), (g("political_status"), "", 1.2)])
    grid.row([("性别", None, 1), (g("gender"), "", 1.4), ("出生日期", None, 1), (g("birth_date"), "", 1.4),
              ("民族", None, 1), (g("ethnicity"), "", 1.2)])
    grid.row([("身份证号", None, 1), (g("id_number"), "", 3.8), ("学历", None, 1), (g("education"), "", 1.2)])
    grid.row([("毕业学校", None, 1), (g("school"), "", 3.8), ("专业", None, 1), (g("major"), "", 1.2)])
    grid.row([("工作（学习）单位", None, 1.3), (g("employer"), "", 3.5), ("职务", None, 1), (g("job"), "", 1.2)])
    grid.ticks("工作单位性质", EMPLOYER_TYPES, {v.get("employer_type")}, mm(16), columns=4)
    grid.row([("通讯地址", None, 1), (g("address"), "", 3.8), ("邮编", None, 1), (g("postcode"), "", 1.2)])
    grid.row([("电子邮箱", None, 1), (g("email"), "", 2.4), ("移动电话", None, 1), (g("mobile"), "", 2.6)])
    grid.row([("QQ号", None, 1), (g("qq"), "", 2.4), ("办公电话", None, 1), (g("office_phone"), "", 2.6)])
    grid.block("个人简历", g("resume"), mm(34))
    grid.ticks("志愿服务项目", SERVICE_ITEMS, set(v.get("service_items") or []), mm(62), columns=4)
    grid.signature("审批机构意见", g("approval_opinion"), page.h - mm(22) - grid.y)
    return [page.image]


def request_form(data):
    """普洱市志愿者服务对象需求采集表, blank or filled (the caller masks what must be masked)."""
    r = data.get("request") or {}
    g = lambda k: "" if r.get(k) is None else str(r.get(k))  # noqa: E731
    page = Page("A4")
    _title(page, "普洱市志愿者服务对象需求采集表")
    f = font(mm(3.8))
    page.text((page.w - mm(15), mm(38)), f"日期：{g('date') or '　　年　月　日'}", f, anchor="ra")
    grid = Grid(page, mm(44))
    grid.ticks("服务对象类别", CATEGORIES, {r.get("category")}, mm(26), columns=5)
    grid.row([("姓名", None, 1), (g("name"), "", 1.6), ("性别", None, 0.8), (g("gender"), "", 0.8),
              ("年龄", None, 0.8), (g("age"), "", 0.8)])
    grid.row([("职业", None, 1), (g("occupation"), "", 1.6), ("现（原）工作（学习）单位", None, 1.6),
              (g("employer"), "", 1.6)])
    grid.row([("职务", None, 1), (g("job"), "", 1.6), ("宅电", None, 0.8), (g("home_phone"), "", 1.2),
              ("手机", None, 0.8), (g("mobile"), "", 1.2)])
    grid.row([("现居住地址", None, 1), (g("address"), "", 5.2)])
    grid.row([("家庭主要成员", None, 1), ("称谓", None, 0.8), ("姓名", None, 1), ("工作单位", None, 1.6),
              ("职务", None, 0.8), ("工作地点", None, 1.6)], height=mm(9))
    family = list(r.get("family") or [])[:5]
    for i in range(5):
        m = family[i] if i < len(family) else {}
        grid.row([("", "", 1)] + [(m.get(k, ""), "", w) for k, w in
                                  (("relation", 0.8), ("name", 1), ("employer", 1.6), ("job", 0.8), ("workplace", 1.6))],
                 height=mm(8.5))
    grid.block("申请原因", g("reason"), mm(26))
    grid.ticks("申请服务项目", REQUEST_ITEMS, {r.get("service_item")}, mm(18), columns=5)
    grid.row([("服务时间", None, 1), (g("service_time"), "", 1.6), ("服务志愿者人数", None, 1.2),
              (g("volunteer_count"), "", 0.8), ("服务地点", None, 0.9), (g("service_place"), "", 1.5)])
    grid.signature("项目服务队长意见", g("leader_opinion"), mm(22))
    grid.block("志愿者服务情况", g("service_record"), mm(24))
    grid.signature("服务对象意见和建议", g("feedback"), page.h - mm(18) - grid.y)
    return [page.image]
