"""Pages at 300 dpi and the drawing helpers every printable shares."""
import math

from PIL import Image, ImageDraw

from printables.fonts import fit_text, font, is_real_bold

DPI = 300
RED = (200, 16, 46)
DARK_RED = (140, 10, 30)
INK = (26, 26, 26)
GREY = (110, 110, 110)
LIGHT = (248, 236, 236)
WHITE = (255, 255, 255)

SIZES_MM = {"A4": (210, 297), "A3": (297, 420), "card": (85.6, 54)}


def mm(value):
    return round(value / 25.4 * DPI)


def page_size(name, landscape=False):
    w, h = SIZES_MM[name]
    w, h = mm(w), mm(h)
    return (max(w, h), min(w, h)) if landscape else (w, h)


class Page:
    """One sheet: an RGB image with a drawing context and text helpers."""

    def __init__(self, size_name="A4", landscape=False, size=None):
        self.size = size or page_size(size_name, landscape)
        self.image = Image.new("RGB", self.size, WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.w, self.h = self.size

    def text(self, xy, text, f, fill=INK, anchor="la", bold=False):
        stroke = max(1, f.size // 40) if bold and not is_real_bold(f) else 0
        self.draw.text(xy, text, font=f, fill=fill, anchor=anchor, stroke_width=stroke, stroke_fill=fill)

    def fitted(self, box, text, max_size, min_size=12, align="center", valign="middle", fill=INK,
               bold=False, serif=False, spacing=1.25):
        """Write text inside box (x0, y0, x1, y1), as large as fits; returns the used box."""
        x0, y0, x1, y1 = box
        f, lines, line_h = fit_text(text, x1 - x0, y1 - y0, max_size, min_size, bold, serif, spacing)
        block = line_h * len(lines)
        y = {"top": y0, "middle": y0 + (y1 - y0 - block) / 2, "bottom": y1 - block}[valign]
        widest = 0
        for line in lines:
            w = f.getlength(line)
            widest = max(widest, w)
            x = {"left": x0, "center": x0 + (x1 - x0 - w) / 2, "right": x1 - w}[align]
            self.text((x, y + (line_h - f.size) / 2), line, f, fill, bold=bold)
            y += line_h
        return (x0, y0, x0 + widest, y0 + block), f, lines

    def rect(self, box, outline=INK, width=3, fill=None):
        self.draw.rectangle(box, outline=outline, width=width, fill=fill)

    def line(self, points, fill=INK, width=3):
        self.draw.line(points, fill=fill, width=width)


def star(draw, cx, cy, r, fill=RED):
    """A five-pointed star as a polygon (fonts may lack ★)."""
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    draw.polygon(points, fill=fill)


def heart(draw, cx, cy, size, fill=RED):
    """A heart of two circles and a triangle: the volunteer mark drawn here, no logo copied."""
    r = size * 0.28
    draw.ellipse((cx - 2 * r, cy - r * 1.6, cx, cy + r * 0.4), fill=fill)
    draw.ellipse((cx, cy - r * 1.6, cx + 2 * r, cy + r * 0.4), fill=fill)
    draw.polygon([(cx - 1.93 * r, cy - 0.3 * r), (cx + 1.93 * r, cy - 0.3 * r), (cx, cy + size * 0.62)], fill=fill)


def emblem(page, cx, cy, size):
    """A red ring with a white heart and a small hand-like arc: the station's identity mark."""
    d = page.draw
    d.ellipse((cx - size, cy - size, cx + size, cy + size), fill=RED)
    d.ellipse((cx - size * 0.86, cy - size * 0.86, cx + size * 0.86, cy + size * 0.86), fill=WHITE)
    heart(d, cx, cy - size * 0.08, size * 0.95, RED)
    d.arc((cx - size * 0.62, cy - size * 0.2, cx + size * 0.62, cy + size * 0.78), 20, 160,
          fill=WHITE, width=max(4, int(size * 0.07)))


def arrow(page, box, direction, fill=RED):
    """A big block arrow pointing left, right, ahead (up) or, for stairs, up/down with steps."""
    x0, y0, x1, y1 = box
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    shaft, head = 0.34, 0.5
    if direction in ("left", "right"):
        pts = [(x0, cy - h * shaft / 2), (x1 - w * head, cy - h * shaft / 2), (x1 - w * head, y0),
               (x1, cy), (x1 - w * head, y1), (x1 - w * head, cy + h * shaft / 2), (x0, cy + h * shaft / 2)]
        if direction == "left":
            pts = [(x0 + x1 - x, y) for x, y in pts]
    else:
        pts = [(cx - w * shaft / 2, y1), (cx - w * shaft / 2, y0 + h * head), (x0, y0 + h * head),
               (cx, y0), (x1, y0 + h * head), (cx + w * shaft / 2, y0 + h * head), (cx + w * shaft / 2, y1)]
        if direction == "downstairs":
            pts = [(x, y0 + y1 - y) for x, y in pts]
    page.draw.polygon(pts, fill=fill)
    if direction in ("upstairs", "downstairs"):
        steps, step_w, step_h = 4, w * 0.16, h / 5  # a staircase beside the arrow
        for i in range(steps):
            sx = x1 + w * 0.15 + i * step_w
            rise = i + 1 if direction == "upstairs" else steps - i
            page.draw.rectangle((sx, y1 - rise * step_h, sx + step_w, y1), fill=fill)


def header_band(page, title, subtitle=None, height=None):
    """The red band across the top with a title in white."""
    height = height or int(page.h * 0.14)
    page.draw.rectangle((0, 0, page.w, height), fill=RED)
    page.fitted((mm(15), mm(6), page.w - mm(15), height - (mm(14) if subtitle else mm(6))), title,
                int(height * 0.5), fill=WHITE, bold=True)
    if subtitle:
        page.fitted((mm(15), height - mm(14), page.w - mm(15), height - mm(4)), subtitle, mm(8),
                    fill=WHITE)
    return height


def footer(page, text):
    f = font(mm(3.5))
    page.text((page.w / 2, page.h - mm(10)), text, f, GREY, anchor="ms")
