"""Manual entries and the back-fill spreadsheet: checked row by row, saved all together or not at all."""
import io
import zipfile

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from server.rules.errors import RuleError
from server.uploads import check_xlsx_sizes
from server.rules.records import at_station, check_period, parse_clock, parse_day
from server.store import hours, volunteers

SERVICE_ITEM = "站点服务"
TEMPLATE_HEADERS = ["志愿者编号", "姓名", "服务日期", "开始时间", "结束时间", "服务内容"]
EXAMPLE = ["V000001", "张三", "2019-03-05", "08:30", "11:30", SERVICE_ITEM]
MAX_ROWS = 5000
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1  # blank rows between records count too, up to this sheet row


class RowErrors(Exception):
    """Some rows of an upload are wrong; nothing of it was saved."""

    def __init__(self, errors):
        super().__init__(f"{len(errors)} rows with errors")
        self.errors = errors


def template_bytes():
    """The blank back-fill template with one example row (to be replaced)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "补录记录"
    ws.append(TEMPLATE_HEADERS)
    ws.append(EXAMPLE)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, width in zip("ABCDEF", (14, 12, 14, 10, 10, 12)):
        ws.column_dimensions[col].width = width
        for cell in ws[col]:
            cell.number_format = "@"  # dates and times stay as typed
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_upload(data):
    """The rows of an uploaded template as (row number, [cells]); RuleError if it is not one.

    Read streaming, six columns wide, whatever the sheet's declared dimension says, and stopped
    at the row limit: a forged dimension or a zip bomb costs a moment, not the worker.
    """
    check_xlsx_sizes(data)
    bad_file = RuleError("bad_file", "请上传从本页下载的 .xlsx 模板", "Upload the .xlsx template from this page",
                         field="file")
    width = len(TEMPLATE_HEADERS)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = wb.active
            sheet.reset_dimensions()  # the declared dimension is the uploader's word, not the data
            rows = sheet.iter_rows(max_col=width, values_only=True)
            header = next(rows, None)
            if header is None or [str(c or "").strip() for c in header] != TEMPLATE_HEADERS:
                raise RuleError("bad_header", "表头应为：" + "、".join(TEMPLATE_HEADERS),
                                "The header row must be the template's", field="file")
            body = []
            for number, row in enumerate(rows, start=2):
                if number > MAX_SHEET_ROWS:
                    raise _too_many()
                if any(c not in (None, "") for c in row):
                    if len(body) == MAX_ROWS:
                        raise _too_many()
                    body.append((number, list(row) + [None] * (width - len(row))))
        finally:
            wb.close()
    except RuleError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError,
            EOFError, AttributeError, IndexError):
        raise bad_file from None
    if not body:
        raise RuleError("empty", "表格中没有记录", "The sheet has no records", field="file")
    return body


def _too_many():
    return RuleError("too_many", f"一次最多上传 {MAX_ROWS} 行", f"At most {MAX_ROWS} rows at once", field="file")


def entry(db, scope, volunteer_ref, name, day, start, end, item, today):
    """A checked manual record: (volunteer id, start, end); RuleError naming the field otherwise."""
    ref = str(volunteer_ref or "").strip().upper()
    volunteer = volunteers.volunteer_by_ref(db, ref) if ref else None
    if volunteer is None or volunteers.get_volunteer(db, scope, volunteer["id"]) is None:
        raise RuleError("unknown_volunteer", "没有找到该志愿者编号（或不在您的辖区）",
                        "No such volunteer number in your scope", field="volunteer")
    if volunteer["status"] == "pending":
        raise RuleError("pending", "志愿者注册尚未审核通过", "The volunteer is not yet approved", field="volunteer")
    if name is not None and str(name).strip() != volunteer["name"]:
        raise RuleError("name_mismatch", f"姓名与编号 {ref} 不符", f"The name does not match {ref}", field="name")
    if str(item or SERVICE_ITEM).strip() != SERVICE_ITEM:
        raise RuleError("item", f"服务内容应为“{SERVICE_ITEM}”", f"The service item must be {SERVICE_ITEM}",
                        field="item")
    day = parse_day(day)
    start_at, end_at = at_station(day, parse_clock(start, "start")), at_station(day, parse_clock(end, "end"))
    check_period(day, start_at, end_at, today)
    return volunteer["id"], start_at, end_at


def enter_one(db, actor, scope, station_id, form, today):
    """Save one record typed in the form; must run inside a write transaction."""
    vid, start, end = entry(db, scope, form.get("volunteer"), None, form.get("date"), form.get("start"),
                            form.get("end"), SERVICE_ITEM, today)
    return hours.add_manual(db, actor, vid, station_id, start, end, SERVICE_ITEM)


def enter_rows(db, actor, scope, station_id, rows, today):
    """Save every row or raise RowErrors listing each wrong row; run it inside a write transaction.

    Rows are saved one by one, so a row overlapping an earlier row of the same file is caught;
    the caller's transaction is rolled back by the raise.
    """
    errors, saved = [], 0
    for number, cells in rows:
        try:
            vid, start, end = entry(db, scope, *cells[:6], today)
            hours.add_manual(db, actor, vid, station_id, start, end, SERVICE_ITEM)
            saved += 1
        except RuleError as err:
            errors.append({"row": number, "zh": err.zh, "en": err.en, "field": err.field})
    if errors:
        raise RowErrors(errors)
    return saved
