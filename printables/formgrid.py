"""A government-form table: fixed columns, shaded label boxes, value boxes, tick boxes, signature lines."""
from printables.canvas import DARK_RED, INK, LABEL, RULE, Page, mm

LINE = 3
LABEL_SIZE, VALUE_SIZE, TICK_SIZE = mm(3.9), mm(3.9), mm(3.3)


class Grid:
    """Rows of cells on shared column lines, top to bottom, like a printed 登记表."""

    def __init__(self, page: Page, top, shares, margin=mm(15)):
        self.page, self.top, self.y = page, top, top
        total, x = sum(shares), margin
        self.xs = [x]
        for share in shares:
            x += (page.w - 2 * margin) * share / total
            self.xs.append(x)

    def span(self, col, cols=1):
        return self.xs[col], self.xs[col + cols]

    def row(self, cells, height=mm(10.5), start=0):
        """cells: (kind, text, columns) with kind "label" or "value"; returns the row's top."""
        col, top = start, self.y
        for kind, text, cols in cells:
            x0, x1 = self.span(col, cols)
            (self.label if kind == "label" else self.value)((x0, top, x1, top + height), text)
            col += cols
        self.y += height
        return top

    def label(self, box, text):
        """A shaded box with the field's name centred in bold."""
        x0, y0, x1, y1 = box
        self.page.rect(box, outline=RULE, width=LINE, fill=LABEL)
        self.page.fitted((x0 + mm(1.2), y0 + mm(0.8), x1 - mm(1.2), y1 - mm(0.8)), text, LABEL_SIZE, mm(2.2),
                         bold=True, spacing=1.2, one_line_down_to=0.9)

    def value(self, box, text, valign="middle"):
        """A white box with what was filled in, left aligned; empty on a blank form."""
        x0, y0, x1, y1 = box
        self.page.rect(box, outline=RULE, width=LINE)
        if text not in (None, ""):
            self.page.fitted((x0 + mm(2), y0 + mm(1.2), x1 - mm(2), y1 - mm(1.2)), str(text), VALUE_SIZE, mm(2),
                             align="left", valign=valign, spacing=1.3)

    def side_label(self, text, top, col=0):
        """A label box down the left of the rows drawn since top (e.g. 家庭主要成员)."""
        x0, x1 = self.span(col)
        self.label((x0, top, x1, self.y), text)

    def ticks(self, options, chosen, columns, row_h=mm(7), start=1, cols=None, note=None):
        """Tick boxes in a grid inside one cell, ticked where chosen; returns the cell's top."""
        cols = cols or len(self.xs) - 1 - start
        x0, x1 = self.span(start, cols)
        top = self.y
        lines = -(-len(options) // columns)
        head = mm(7) if note else 0
        height = head + lines * row_h + mm(2)
        self.page.rect((x0, top, x1, top + height), outline=RULE, width=LINE)
        if note:
            self.page.fitted((x0 + mm(2), top + mm(1), x1 - mm(2), top + head), note, mm(3.2), mm(2), align="left")
        cell_w = (x1 - x0 - mm(2)) / columns
        for i, option in enumerate(options):
            cx = x0 + mm(2) + (i % columns) * cell_w
            cy = top + head + mm(1) + (i // columns) * row_h + row_h / 2
            self.tick_box(cx, cy, option in chosen)
            self.page.fitted((cx + mm(5), cy - row_h / 2, cx + cell_w - mm(1), cy + row_h / 2), option, TICK_SIZE,
                             mm(2), align="left", one_line_down_to=0.6)
        self.y += height
        return top

    def tick_box(self, x, cy, ticked):
        side = mm(3.4)
        self.page.rect((x, cy - side / 2, x + side, cy + side / 2), outline=INK, width=3)
        if ticked:  # a hand-like check mark running past the box, as a pen would
            self.page.line([(x + side * 0.15, cy), (x + side * 0.45, cy + side * 0.4),
                            (x + side * 1.15, cy - side * 0.75)], fill=DARK_RED, width=mm(0.55))

    def block(self, text, height, start=1, cols=None, signature=None):
        """A tall value box for free text; with signature, a 签名 … 年 月 日 line at its foot."""
        cols = cols or len(self.xs) - 1 - start
        x0, x1 = self.span(start, cols)
        top = self.y
        self.page.rect((x0, top, x1, top + height), outline=RULE, width=LINE)
        foot = mm(9) if signature else 0
        if text:
            self.page.fitted((x0 + mm(2.5), top + mm(2), x1 - mm(2.5), top + height - foot - mm(1)), str(text),
                             VALUE_SIZE, mm(2), align="left", valign="top", spacing=1.35)
        if signature:
            line = f"{signature}：＿＿＿＿＿＿＿＿　　　　年　　月　　日"
            self.page.fitted((x0 + mm(2.5), top + height - foot, x1 - mm(4), top + height - mm(2)), line,
                             mm(3.8), mm(2), align="right")
        self.y += height
        return top

    def remaining(self, bottom):
        return bottom - self.y
