"""Bleed and crop marks for a sign shop: colour that touches the trim runs on past it, marks show the cut."""
from printables.canvas import Page, mm

MARK_GAP_MM = 2  # crop marks start this far outside the bleed, so a cut never shows one
MARK_LEN_MM = 6
REGISTRATION = (0, 0, 0)


def with_bleed(page, bleed_mm=3):
    """A bigger page: the trim page inside, filled shapes at its edges extended by the bleed, crop marks.

    The sheet is trim + 2 x (bleed + gap + mark); page.trim_px is the trim box, page.bleed_px the
    bleed box, both (x0, y0, x1, y1) in pixels, for the PDF's TrimBox and BleedBox.
    """
    bleed = mm(bleed_mm)
    slug = mm(bleed_mm + MARK_GAP_MM + MARK_LEN_MM)
    out = Page((page.size_mm[0] + 2 * (bleed_mm + MARK_GAP_MM + MARK_LEN_MM),
                page.size_mm[1] + 2 * (bleed_mm + MARK_GAP_MM + MARK_LEN_MM)))
    out.w, out.h = page.w + 2 * slug, page.h + 2 * slug  # whole pixels, the trim exactly page.w x page.h
    for op in page.ops:
        if op[0] == "rect" and op[2] is not None:
            out.draw.rectangle(_bled(op[1], page.w, page.h, bleed), fill=op[2])
            if op[3] is not None:  # the outline stays on the trim
                out.ops.append(("rect", op[1], None, op[3], op[4]))
        else:
            out.ops.append(op)
    out.ops[:] = [_moved(op, slug) for op in out.ops]  # in place: out.draw records into this list
    out.text_boxes = page.text_boxes
    x0, y0, x1, y1 = slug, slug, slug + page.w, slug + page.h
    out.trim_px = (x0, y0, x1, y1)
    out.bleed_px = (x0 - bleed, y0 - bleed, x1 + bleed, y1 + bleed)
    start, end = bleed + mm(MARK_GAP_MM), slug
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        out.line([(x + sx * start, y), (x + sx * end, y)], fill=REGISTRATION, width=2)
        out.line([(x, y + sy * start), (x, y + sy * end)], fill=REGISTRATION, width=2)
    return out


def _bled(box, w, h, bleed):
    """A filled box that touches an edge of the trim, pushed out past it by the bleed."""
    x0, y0, x1, y1 = box
    return (x0 - bleed if x0 <= 0 else x0, y0 - bleed if y0 <= 0 else y0,
            x1 + bleed if x1 >= w - 1 else x1, y1 + bleed if y1 >= h - 1 else y1)


def _moved(op, d):
    """An operation shifted right and down by d pixels."""
    kind = op[0]
    if kind in ("rect", "ellipse", "rrect"):
        x0, y0, x1, y1 = op[1]
        return (kind, (x0 + d, y0 + d, x1 + d, y1 + d), *op[2:])
    if kind in ("polygon", "line"):
        return (kind, [(x + d, y + d) for x, y in op[1]], *op[2:])
    (x, y) = op[1]
    return (kind, (x + d, y + d), *op[2:])
