"""Pages laid out in pixels at 300 dpi, the palette, and the text and drawing helpers every printable shares."""
import functools
import math

from PIL import Image, ImageDraw

from printables.fonts import SOFT_BREAK, FaceAt, fit_text, font

DPI = 300
RED = (200, 16, 46)  # #C8102E, the volunteer red
DARK_RED = (150, 12, 34)
INK = (26, 26, 26)
GREY = (96, 96, 96)
RULE = (60, 60, 60)
TINT = (250, 236, 236)  # a light red for shaded rows, safe on office printers
LABEL = (243, 240, 236)  # the warm grey of a form's label boxes
WHITE = (255, 255, 255)

SIZES_MM = {"A4": (210, 297), "A3": (297, 420), "card": (85.6, 54)}
_MEASURE = ImageDraw.Draw(Image.new("RGB", (1, 1)))  # text is measured here; pages only record


def mm(value):
    """Millimetres to whole pixels at 300 dpi."""
    return round(value / 25.4 * DPI)


def sheet_mm(size, landscape=False):
    """(width, height) in mm of a named sheet or a (w, h) in mm, portrait unless landscape (named only)."""
    if not isinstance(size, str):
        return tuple(float(v) for v in size)
    w, h = SIZES_MM[size]
    return (max(w, h), min(w, h)) if landscape else (min(w, h), max(w, h))


def page_size(name, landscape=False):
    """Exact pixel size of a named sheet, portrait unless landscape."""
    return tuple(mm(v) for v in sheet_mm(name, landscape))


class Recorder:
    """An ImageDraw look-alike that records shapes; measuring goes to a real ImageDraw."""

    def __init__(self, ops):
        self.ops = ops

    def rectangle(self, box, fill=None, outline=None, width=1):
        self.ops.append(("rect", tuple(box), fill, outline, width))

    def ellipse(self, box, fill=None):
        self.ops.append(("ellipse", tuple(box), fill))

    def polygon(self, points, fill=None):
        self.ops.append(("polygon", [tuple(p) for p in points], fill))

    def rounded_rectangle(self, box, radius=0, fill=None):
        self.ops.append(("rrect", tuple(box), radius, fill))

    def line(self, points, fill=None, width=1):
        self.ops.append(("line", [tuple(p) for p in points], fill, width))

    def textlength(self, *args, **kwargs):
        return _MEASURE.textlength(*args, **kwargs)

    def textbbox(self, *args, **kwargs):
        return _MEASURE.textbbox(*args, **kwargs)


class Page:
    """One sheet in pixels at 300 dpi: a list of drawing operations, drawn to raster or vector on demand.

    Operations: rect, ellipse, polygon, rrect, line (as ImageDraw takes them), text (baseline-left
    origin, a FaceAt, stroke), qr (a module matrix), image (a photo), emblem and page (a page placed
    inside this one). printables.raster draws them with Pillow, printables.vector as PDF or SVG.
    """

    def __init__(self, size_name="A4", landscape=False):
        self.size_mm = sheet_mm(size_name, landscape)
        self.w, self.h = (mm(v) for v in self.size_mm)
        self.ops = []
        self.draw = Recorder(self.ops)
        self.text_boxes = []
        self._image = None

    @property
    def image(self):
        """The page drawn by Pillow at 300 dpi (info["text_boxes"] lists every text placed)."""
        if self._image is None:
            from printables.raster import draw_page
            self._image = draw_page(self)
        return self._image

    def fitted(self, box, text, max_size, min_size=None, align="center", valign="middle", fill=INK,
               bold=False, serif=False, spacing=1.25, one_line_down_to=0.7, balance=True):
        """Write text as large as fits inside box (x0, y0, x1, y1); returns the TextLayout."""
        x0, y0, x1, y1 = box
        min_size = min_size or max(12, int(max_size * 0.3))
        layout = fit_text(self.draw, text, x1 - x0, int(max_size), int(min_size), y1 - y0, bold, serif,
                          spacing, one_line_down_to, balance)
        layout.place(box, align, valign)
        self._write(layout, fill, box, text)
        return layout

    def text(self, xy, text, size, fill=INK, anchor="ls", bold=False):
        """Write one short line at a point (labels, footers); size is pixels or a face from fonts.font()."""
        face = size if isinstance(size, FaceAt) else font(size, bold)
        bbox = _MEASURE.textbbox(xy, text, font=face.font, anchor=anchor, stroke_width=face.stroke)
        at = _MEASURE.textbbox(xy, text, font=face.font, anchor="ls", stroke_width=face.stroke)
        origin = (xy[0] + bbox[0] - at[0], xy[1] + bbox[1] - at[1])  # the same ink, from a baseline origin
        self.ops.append(("text", origin, text, face, fill))
        self.text_boxes.append({"text": text, "lines": [text], "box": bbox, "bbox": bbox, "size": face.size,
                                "fits": True})
        return bbox

    def _write(self, layout, fill, box, text):
        face, boxes = layout.face, []
        for line, origin in zip(layout.lines, layout.origins):
            self.ops.append(("text", origin, line, face, fill))
            boxes.append(_MEASURE.textbbox(origin, line, font=face.font, anchor="ls", stroke_width=face.stroke))
        boxes = [b for b in boxes if b[2] > b[0]]
        layout.bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                       max(b[3] for b in boxes)) if boxes else None
        self.text_boxes.append({"text": str(text or "").replace(SOFT_BREAK, ""), "lines": layout.lines,
                                "box": box, "bbox": layout.bbox, "size": face.size, "fits": layout.fits})

    def rect(self, box, outline=RULE, width=3, fill=None):
        self.draw.rectangle(box, outline=outline, width=width, fill=fill)

    def line(self, points, fill=RULE, width=3):
        self.draw.line(points, fill=fill, width=width)

    def qr(self, matrix, x, y, module):
        """A QR code: matrix rows of booleans (quiet zone included), module pixels a module."""
        self.ops.append(("qr", (x, y), matrix, module))

    def photo(self, image, x, y):
        self.ops.append(("image", (x, y), image))

    def emblem(self, cx, cy, radius, ring=WHITE, mark=RED):
        self.ops.append(("emblem", (cx, cy), radius, ring, mark))

    def place(self, other, x, y):
        """Another page (a badge on a sheet) drawn here with its top-left at (x, y)."""
        self.ops.append(("page", (x, y), other))

    def texts(self):
        """Every text drawn on the page, nested pages included, in drawing order."""
        out = []
        for op in self.ops:
            if op[0] == "text":
                out.append(op[2])
            elif op[0] == "page":
                out.extend(op[2].texts())
        return out


def star(draw, cx, cy, r, fill=RED):
    """A five-pointed star as a polygon (not every font has ★)."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.4
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def _heart(cx, cy, size):
    """Points of the classic heart curve, size wide, centred on (cx, cy)."""
    pts = []
    for i in range(120):
        t = 2 * math.pi * i / 120
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        pts.append((cx + x * size / 34, cy - (y + 2.5) * size / 34))
    return pts


def _palm(cx, cy, radius, side):
    """A cupped hand: a crescent thick at the wrist and thin at the fingertips; side -1 left, +1 right."""
    outer, inner = [], []
    for i in range(41):
        t = i / 40
        a = math.radians(100 + 105 * t)  # from beside the bottom, up and round the side
        thick = radius * 0.26 * (1 - 0.65 * t)
        outer.append((cx - side * radius * math.cos(a), cy + radius * math.sin(a)))
        inner.append((cx - side * (radius - thick) * math.cos(a), cy + (radius - thick) * math.sin(a)))
    return outer + inner[::-1]


def emblem(page, cx, cy, radius, ring=WHITE, mark=RED):
    """The station's mark, drawn here (no logo copied): a heart held in two hands, on a disc."""
    page.emblem(cx, cy, radius, ring, mark)


def emblem_shapes(cx, cy, r, ring=WHITE, mark=RED):
    """The emblem as (kind, geometry, colour) shapes: a disc, two hands, a halo and the heart."""
    shapes = [("ellipse", (cx - r, cy - r, cx + r, cy + r), ring)]
    shapes += [("polygon", _palm(cx + s * r * 0.04, cy - r * 0.06, r * 0.72, s), mark) for s in (-1, 1)]
    shapes.append(("polygon", _heart(cx, cy - r * 0.1, r * 1.0), ring))  # a white halo parts heart and hands
    shapes.append(("polygon", _heart(cx, cy - r * 0.1, r * 0.86), mark))
    return shapes


@functools.lru_cache(maxsize=32)
def _emblem_tile(radius, ring, mark):
    scale = 4  # drawn large and scaled down, so the curves come out smooth
    side = radius * 2 * scale
    tile = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    d = ImageDraw.Draw(tile)
    c, r = side / 2, side / 2
    for kind, geometry, colour in emblem_shapes(c, c, r, ring, mark):
        if kind == "ellipse":
            d.ellipse((0, 0, side - 1, side - 1), fill=colour)
        else:
            d.polygon(geometry, fill=colour)
    return tile.resize((radius * 2, radius * 2), Image.LANCZOS)


def arrow(draw, start, end, width, fill=RED):
    """A block arrow from start to end: shaft width wide, head twice that."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    head_len, head_w, shaft_w = width * 1.5, width * 1.25, width * 0.5
    neck = (x1 - ux * head_len, y1 - uy * head_len)

    def at(base, along, across):
        return (base[0] + nx * across + ux * along, base[1] + ny * across + uy * along)

    draw.polygon([at(start, 0, shaft_w), at(neck, 0, shaft_w), at(neck, 0, head_w), (x1, y1),
                  at(neck, 0, -head_w), at(neck, 0, -shaft_w), at(start, 0, -shaft_w)], fill=fill)


def direction_mark(draw, box, direction, fill=RED):
    """The sign's big symbol: an arrow, or a staircase with an arrow along it."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    cx, cy, s = (x0 + x1) / 2, (y0 + y1) / 2, min(w, h)
    if direction in ("left", "right", "ahead"):
        half = s * 0.45
        ends = {"left": ((cx + half, cy), (cx - half, cy)), "right": ((cx - half, cy), (cx + half, cy)),
                "ahead": ((cx, cy + half), (cx, cy - half))}[direction]
        arrow(draw, *ends, s * 0.3, fill)
        return
    steps, left, bottom, side = 4, cx - s / 2, cy + s / 2, s
    step = side * 0.55 / steps
    for i in range(steps):  # steps rise to the right, starting at the lower left
        sx = left + side * 0.45 + i * step
        draw.rectangle((sx, bottom - (i + 1) * step, sx + step, bottom), fill=fill)
    a, b = (left + side * 0.05, bottom - side * 0.42), (left + side * 0.62, bottom - side * 0.98)
    if direction == "downstairs":
        a, b = b, a
    arrow(draw, a, b, s * 0.2, fill)


def header_band(page, title, subtitle=None, height=None):
    """The red band across the top: the emblem, the title in white, an optional line under it."""
    height = height or int(page.h * 0.13)
    radius = height * 0.34
    side = mm(12) + radius * 2 + mm(6)  # kept clear on both sides so the title stays centred
    page.draw.rectangle((0, 0, page.w, height), fill=RED)
    emblem(page, mm(12) + radius, height / 2, radius)
    title_bottom = height * (0.66 if subtitle else 0.86)
    page.fitted((side, height * 0.1, page.w - side, title_bottom), title, height * 0.4, fill=WHITE,
                bold=True, spacing=1.15)
    if subtitle:
        page.fitted((side, title_bottom, page.w - side, height * 0.93), subtitle, height * 0.16, fill=WHITE,
                    spacing=1.1)
    return height


def footer(page, text, margin=None):
    """A small grey line at the foot of the page."""
    margin = margin or mm(14)
    page.fitted((margin, page.h - mm(16), page.w - margin, page.h - mm(8)), text, mm(3.6), mm(2), fill=GREY)
