"""Files for the national volunteer information system and report downloads: rows in, bytes out.

No Flask and no database here. Every text cell that a spreadsheet could read as a formula
(= + - @, tab, carriage return) is prefixed with an apostrophe; ID numbers are text cells.
Files are written all or nothing and readable by their owner only (write_private).
"""
import contextlib
import csv
import io
import os
import re
import tempfile

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

# field: default column header, in the default order of the national template
FIELDS = {
    "name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "date": "服务日期",
    "start": "开始时间", "end": "结束时间", "hours": "服务时长（小时）", "content": "服务内容",
    "place": "服务地点", "organisation": "记录单位",
    # not in the default template, available to a changed one
    "county": "县（区）", "volunteer_ref": "志愿者编号", "record_id": "记录编号",
}
DEFAULT_COLUMNS = [[FIELDS[f], f] for f in list(FIELDS)[:10]]
CORRECTION_FIELDS = [("原导出批次", "original_batch"), ("更正说明", "correction")]
TEXT_FIELDS = {"id_number", "volunteer_ref"}  # typed text even if someone edits the cell
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns_from(setting):
    """(header, field) pairs from the EXPORT_COLUMNS setting: [header, field] pairs or headers."""
    by_header = {h: f for f, h in FIELDS.items()}
    out = []
    for item in setting or DEFAULT_COLUMNS:
        header, field = (item, by_header.get(item)) if isinstance(item, str) else item
        if field not in FIELDS and field not in dict(CORRECTION_FIELDS).values():
            raise ValueError(f"EXPORT_COLUMNS: unknown column {item!r}")
        out.append((header, field))
    return out


def _guarded(text):
    """True for text a spreadsheet would run (a formula) or XlsxWriter would write as raw XML (its
    constant-memory mode passes "<r>…</r>" through as a pre-built rich string)."""
    return text.startswith(_FORMULA_START) or (text.startswith("<r>") and text.endswith("</r>"))


def safe(value):
    """A cell value a spreadsheet will never run as a formula nor read as markup."""
    if isinstance(value, str) and _guarded(value):
        return "'" + value
    return value


def _matrix(columns, rows):
    yield [h for h, _f in columns]
    fields = [f for _h, f in columns]
    blanks = [""] * len(fields)
    for row in rows:  # safe() inlined: it runs for every cell of 100,000 rows
        yield [("'" + v) if v.__class__ is str and (v.startswith(_FORMULA_START)
                                                    or (v.startswith("<r>") and v.endswith("</r>"))) else v
               for v in map(row.get, fields, blanks)]


def to_csv(columns, rows):
    """UTF-8 CSV with a byte-order mark, so Excel opens the Chinese headers correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(_matrix(columns, rows))  # None is written as an empty field
    return out.getvalue().encode("utf-8-sig")


# A string XlsxWriter would write as it is: no control character or _xHHHH_ to escape, nothing for
# XML to escape, no space to preserve at either end (and so no "<r>" rich string either).
_PLAIN = re.compile(r'[\x00-\x1f"&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$')


class _ExportSheet(Worksheet):
    """XlsxWriter's worksheet, with the one inner-loop step a city month runs a million times
    (writing a cell's XML in constant-memory mode) done in one step for plain strings and numbers.
    Byte for byte what Worksheet writes (tests/services/test_export.py compares them); anything else, and
    any cell that takes a row or column format, goes to Worksheet as before. xlsxwriter is pinned."""

    _names = [xl_col_to_name(c) for c in range(64)]

    def _write_single_row(self, current_row_num=0):
        # A row's XML gathered in memory and written to the temporary file at once, not cell by cell.
        fh, self.fh = self.fh, io.StringIO()
        try:
            super()._write_single_row(current_row_num)
            text = self.fh.getvalue()
        finally:
            self.fh = fh
        fh.write(text)

    def _write_cell(self, row, col, cell):
        kind, fmt = cell.__class__.__name__, cell.format
        if (not self.constant_memory or col >= 64
                or (not fmt and (row in self.row_info or col in self.col_info))):
            return super()._write_cell(row, col, cell)
        style = f' s="{fmt._get_xf_index()}"' if fmt else ""
        if kind == "String" and not _PLAIN.search(cell.string):
            self.fh.write(f'<c r="{self._names[col]}{row + 1}"{style} t="inlineStr"><is><t>{cell.string}</t></is></c>')
        elif kind == "Number":
            self.fh.write(f'<c r="{self._names[col]}{row + 1}"{style}><v>{cell.number:.16G}</v></c>')
        else:
            super()._write_cell(row, col, cell)


def to_xlsx(columns, rows, title="志愿服务记录", sheet_class=_ExportSheet):
    """An XLSX workbook of one sheet; text fields are typed text (number format @).

    XlsxWriter in constant-memory mode: each row goes to a temporary file (0600) as it is written,
    so a month of a whole city (100,000 rows) takes seconds and little memory. Every string is
    written with write_string, never write(), which would read a leading = as a formula.
    """
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_formulas": False,
                                   "strings_to_urls": False, "strings_to_numbers": False})
    ws = wb.add_worksheet(title[:31], worksheet_class=sheet_class)
    bold, text = wb.add_format({"bold": True}), wb.add_format({"num_format": "@"})
    text_cols = {i for i, (_h, f) in enumerate(columns) if f in TEXT_FIELDS}
    lines = _matrix(columns, rows)
    for i, header in enumerate(next(lines)):
        ws.write_string(0, i, str(header), bold)
    # The cell writers without write_string's A1-notation wrapper (rows and columns are numbers here);
    # still the string writer for text, never write(): a text cell never becomes a formula.
    write_string, write_number = ws._write_string, ws._write_number
    for n, line in enumerate(lines, 1):  # one branch per cell: 1,000,000 cells in a city month
        for i, value in zip(range(len(line)), line):
            kind = value.__class__
            if i in text_cols:
                write_string(n, i, "" if value is None else str(value), text)
            elif kind is str:
                if value:
                    write_string(n, i, value)
            elif value is None:
                continue
            elif kind is bool or not isinstance(value, (int, float)):
                write_string(n, i, str(value))
            else:
                write_number(n, i, value)
    wb.close()
    return out.getvalue()


def table_xlsx(title, headers, rows):
    """A report table (lists of values) as XLSX."""
    columns = [(h, str(i)) for i, h in enumerate(headers)]
    return to_xlsx(columns, [{str(i): v for i, v in enumerate(r)} for r in rows], title)


def write_private(path, body):
    """Write body to path, all or nothing, mode 0600: a temporary file in the same folder (created
    0600 whatever the umask), flushed to disk, then renamed over path. On any failure the temporary
    file is removed, path is left as it was, and the error is raised."""
    path = os.path.abspath(os.fspath(path))
    folder, name = os.path.split(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
