"""The vector backends: a page's recorded operations as PDF (fpdf2) or SVG, text as real text.

Coordinates stay in the layout's pixels at 300 dpi: the PDF's user unit is 72/300 pt and the
SVG's viewBox is the page in pixels, with its width and height in millimetres.
"""
import base64
import io
from xml.sax.saxutils import escape, quoteattr

from fpdf import FPDF

from printables import fontfiles
from printables.canvas import DPI, emblem_shapes

PT_PER_PX = 72 / DPI


def _texts(ops):
    """(face, text) of every text, nested pages included."""
    for op in ops:
        if op[0] == "text":
            yield op[3], op[2]
        elif op[0] == "page":
            yield from _texts(op[2].ops)


def _faces(pages):
    """{(path, index): set of characters} over every page."""
    used = {}
    for page in pages:
        for face, text in _texts(page.ops):
            used.setdefault((face.font.path, face.font.index), set()).update(text)
    return used


def _qr_runs(matrix):
    """(column, row, length) of each horizontal run of dark modules."""
    for r, row in enumerate(matrix):
        c = 0
        while c < len(row):
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                yield start, r, c - start
            else:
                c += 1


class _PdfWriter:
    def __init__(self, pages, title):
        self.doc = FPDF(unit=PT_PER_PX, format=(pages[0].w, pages[0].h))
        self.doc.set_auto_page_break(False)
        self.doc.set_margins(0, 0, 0)
        self.doc.set_title(title)
        self.doc.set_creator("学雷锋志愿服务站点 printables")
        self.families = {}
        for n, ((path, index), chars) in enumerate(sorted(_faces(pages).items())):
            self.doc.add_font(f"f{n}", "", fontfiles.working_font(path, index))
            self.doc.fonts[f"f{n}"].ttfont.recalcBBoxes = False  # the working font's bounds hold: saves 0.2 s a face
            covered = fontfiles.covered(path, index)
            missing = {c for c in chars if ord(c) not in covered and c not in "\u200b\n"}
            extra = fontfiles.supplement(path, index, missing) if missing else None
            if extra:  # characters the face has beyond the working font; none at all draw as its .notdef
                self.doc.add_font(f"s{n}", "", extra)
                self.doc.fonts[f"s{n}"].ttfont.recalcBBoxes = False
            self.families[(path, index)] = (f"f{n}", covered, f"s{n}" if extra else None)
        for page in pages:
            self.doc.add_page(format=(page.w, page.h))
            if getattr(page, "trim_px", None) and (page.w, page.h) == (pages[0].w, pages[0].h):
                # fpdf2 has no page boxes: the page's MediaBox entry (written only when a page's size differs
                # from the document's) carries the TrimBox and BleedBox a sign shop's RIP reads
                size = f"[0 0 {page.w * PT_PER_PX:.2f} {page.h * PT_PER_PX:.2f}]"
                self.doc.pages[self.doc.page].media_box = (f"{size} /TrimBox {_box(page.trim_px, page.h)}"
                                                           f" /BleedBox {_box(page.bleed_px, page.h)}")
            self.ops(page.ops, 0, 0)

    @staticmethod
    def colour(setter, rgb):
        setter(*rgb[:3])

    def ops(self, ops, dx, dy):
        d = self.doc
        for op in ops:
            kind = op[0]
            if kind == "rect":
                _, (x0, y0, x1, y1), fill, outline, width = op
                if fill is not None:
                    self.colour(d.set_fill_color, fill)
                    d.rect(x0 + dx, y0 + dy, x1 - x0 + 1, y1 - y0 + 1, style="F")
                if outline is not None and width:  # Pillow's outline lies inside the box
                    self.colour(d.set_draw_color, outline)
                    d.set_line_width(width)
                    d.rect(x0 + dx + width / 2, y0 + dy + width / 2, x1 - x0 + 1 - width, y1 - y0 + 1 - width,
                           style="D")
            elif kind == "ellipse":
                (x0, y0, x1, y1), fill = op[1], op[2]
                self.colour(d.set_fill_color, fill)
                d.ellipse(x0 + dx, y0 + dy, x1 - x0, y1 - y0, style="F")
            elif kind == "polygon":
                self.colour(d.set_fill_color, op[2])
                d.polygon([(x + dx, y + dy) for x, y in op[1]], style="F")
            elif kind == "rrect":
                (x0, y0, x1, y1), radius, fill = op[1], op[2], op[3]
                self.colour(d.set_fill_color, fill)
                d.rect(x0 + dx, y0 + dy, x1 - x0, y1 - y0, style="F", round_corners=True, corner_radius=radius)
            elif kind == "line":
                self.colour(d.set_draw_color, op[2])
                d.set_line_width(op[3])
                points = [(x + dx, y + dy) for x, y in op[1]]
                for a, b in zip(points, points[1:]):
                    d.line(*a, *b)
            elif kind == "text":
                self.text(op, dx, dy)
            elif kind == "qr":
                _, (x, y), matrix, module = op
                d.set_fill_color(0, 0, 0)
                for c, r, length in _qr_runs(matrix):
                    d.rect(x + dx + c * module, y + dy + r * module, length * module, module, style="F")
            elif kind == "image":
                _, (x, y), photo = op
                d.image(photo, x + dx, y + dy, w=photo.width, h=photo.height)
            elif kind == "emblem":
                _, (cx, cy), radius, ring, mark = op
                for shape, geometry, colour in emblem_shapes(cx + dx, cy + dy, radius, ring, mark):
                    self.colour(d.set_fill_color, colour)
                    if shape == "ellipse":
                        x0, y0, x1, y1 = geometry
                        d.ellipse(x0, y0, x1 - x0, y1 - y0, style="F")
                    else:
                        d.polygon(geometry, style="F")
            elif kind == "page":
                _, (x, y), inner = op
                self.ops(inner.ops, dx + x, dy + y)

    def text(self, op, dx, dy):
        _, (x, y), text, face, fill = op
        text = text.replace("\u200b", "")
        if not text:
            return
        d = self.doc
        family, covered, extra = self.families[(face.font.path, face.font.index)]
        self.colour(d.set_text_color, fill)
        if face.stroke:  # a bold stood in for by a stroke, as Pillow draws it
            self.colour(d.set_draw_color, fill)
            d.text_mode = "FILL_STROKE"
            d.line_width = 2 * face.stroke * PT_PER_PX  # text() writes line_width as points
        x += dx + face.stroke
        for run, ok in _runs(text, covered):
            d.set_font(family if ok or not extra else extra, size=face.size * PT_PER_PX)
            d.text(x, y + dy, run)
            x += face.font.getlength(run)
        if face.stroke:
            d.text_mode = "FILL"


def _box(box, page_h):
    """A PDF rectangle in points (origin bottom left) from a box in pixels (origin top left)."""
    x0, y0, x1, y1 = box
    return "[" + " ".join(f"{v * PT_PER_PX:.2f}" for v in (x0, page_h - y1, x1, page_h - y0)) + "]"


def _runs(text, covered):
    """Pieces of text, each wholly in the working font (True) or not (False)."""
    runs = []
    for ch in text:
        ok = ord(ch) in covered
        if runs and runs[-1][1] == ok:
            runs[-1][0] += ch
        else:
            runs.append([ch, ok])
    return [(t, ok) for t, ok in runs]


def pdf(pages, title=""):
    """A vector PDF of the pages, each at its physical size, the CJK font embedded as a subset."""
    return bytes(_PdfWriter(pages, title).doc.output())


def _colour(rgb):
    return "#%02x%02x%02x" % tuple(rgb[:3])


def _num(v):
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _points(points, dx=0, dy=0):
    return " ".join(f"{_num(x + dx)},{_num(y + dy)}" for x, y in points)


def _svg_ops(ops, fonts, out):
    for op in ops:
        kind = op[0]
        if kind == "rect":
            _, (x0, y0, x1, y1), fill, outline, width = op
            if fill is not None:
                out.append(f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0 + 1)}" '
                           f'height="{_num(y1 - y0 + 1)}" fill="{_colour(fill)}"/>')
            if outline is not None and width:
                out.append(f'<rect x="{_num(x0 + width / 2)}" y="{_num(y0 + width / 2)}" '
                           f'width="{_num(x1 - x0 + 1 - width)}" height="{_num(y1 - y0 + 1 - width)}" fill="none" '
                           f'stroke="{_colour(outline)}" stroke-width="{_num(width)}"/>')
        elif kind == "ellipse":
            (x0, y0, x1, y1), fill = op[1], op[2]
            out.append(f'<ellipse cx="{_num((x0 + x1) / 2)}" cy="{_num((y0 + y1) / 2)}" rx="{_num((x1 - x0) / 2)}" '
                       f'ry="{_num((y1 - y0) / 2)}" fill="{_colour(fill)}"/>')
        elif kind == "polygon":
            out.append(f'<polygon points="{_points(op[1])}" fill="{_colour(op[2])}"/>')
        elif kind == "rrect":
            (x0, y0, x1, y1), radius, fill = op[1], op[2], op[3]
            out.append(f'<rect x="{_num(x0)}" y="{_num(y0)}" width="{_num(x1 - x0)}" height="{_num(y1 - y0)}" '
                       f'rx="{_num(radius)}" fill="{_colour(fill)}"/>')
        elif kind == "line":
            out.append(f'<polyline points="{_points(op[1])}" fill="none" stroke="{_colour(op[2])}" '
                       f'stroke-width="{_num(op[3])}"/>')
        elif kind == "text":
            _, (x, y), text, face, fill = op
            text = text.replace("\u200b", "")
            if not text:
                continue
            stroke = (f' stroke="{_colour(fill)}" stroke-width="{_num(2 * face.stroke)}" stroke-linejoin="round"'
                      if face.stroke else "")
            family = quoteattr(fonts[face.font.path, face.font.index])
            out.append(f'<text x="{_num(x + face.stroke)}" y="{_num(y)}" font-family={family} '
                       f'font-size="{face.size}" fill="{_colour(fill)}"{stroke}>{escape(text)}</text>')
        elif kind == "qr":
            _, (x, y), matrix, module = op
            path = "".join(f"M{_num(x + c * module)} {_num(y + r * module)}h{length * module}v{module}"
                           f"h-{length * module}z" for c, r, length in _qr_runs(matrix))
            out.append(f'<path d="{path}" fill="#000" shape-rendering="crispEdges"/>')
        elif kind == "image":
            _, (x, y), photo = op
            buf = io.BytesIO()
            photo.convert("RGB").save(buf, "JPEG", quality=90)
            out.append(f'<image x="{_num(x)}" y="{_num(y)}" width="{photo.width}" height="{photo.height}" '
                       f'href="data:image/jpeg;base64,{base64.b64encode(buf.getvalue()).decode()}"/>')
        elif kind == "emblem":
            _, (cx, cy), radius, ring, mark = op
            for shape, geometry, colour in emblem_shapes(cx, cy, radius, ring, mark):
                if shape == "ellipse":
                    out.append(f'<circle cx="{_num(cx)}" cy="{_num(cy)}" r="{_num(radius)}" fill="{_colour(colour)}"/>')
                else:
                    out.append(f'<polygon points="{_points(geometry)}" fill="{_colour(colour)}"/>')
        elif kind == "page":
            _, (x, y), inner = op
            out.append(f'<g transform="translate({_num(x)} {_num(y)})">')
            _svg_ops(inner.ops, fonts, out)
            out.append("</g>")


def svg(page, title=""):
    """An SVG of one page at its size in millimetres; text is <text> in the face, subset and embedded."""
    faces, fonts, styles = _faces([page]), {}, []
    for n, ((path, index), chars) in enumerate(sorted(faces.items())):
        name = f"leifeng-{n}"
        data = fontfiles.embedded_subset(path, index, "".join(sorted(chars - {"\u200b", "\n"})))
        styles.append(f'@font-face{{font-family:"{name}";src:url(data:font/otf;base64,'
                      f'{base64.b64encode(data).decode()}) format("opentype");}}')
        fonts[path, index] = f'"{name}", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
    body = []
    _svg_ops(page.ops, fonts, body)
    w_mm, h_mm = page.size_mm  # the physical size, not the whole pixels
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
            f'width="{_num(w_mm)}mm" height="{_num(h_mm)}mm" viewBox="0 0 {page.w} {page.h}">\n'
            f"<title>{escape(title)}</title>\n<defs><style>{''.join(styles)}</style></defs>\n"
            f'<rect width="{page.w}" height="{page.h}" fill="#fff"/>\n')
    return (head + "\n".join(body) + "\n</svg>\n").encode("utf-8")
