"""The raster backend: a page's recorded operations drawn by Pillow at 300 dpi."""
from PIL import Image, ImageDraw

from printables.canvas import DPI, WHITE, _emblem_tile


def draw_page(page):
    """An RGB image of the page; info carries dpi and the page's text_boxes."""
    image = Image.new("RGB", (page.w, page.h), WHITE)
    image.info["dpi"] = (DPI, DPI)
    image.info["text_boxes"] = page.text_boxes
    _replay(image, ImageDraw.Draw(image), page.ops)
    return image


def qr_tile(matrix, module):
    """A black-on-white QR image, each module a whole number of pixels."""
    count = len(matrix)
    grid = Image.new("L", (count, count), 255)
    grid.putdata([0 if dark else 255 for row in matrix for dark in row])
    return grid.resize((count * module, count * module), Image.NEAREST).convert("RGB")


def _replay(image, draw, ops):
    for op in ops:
        kind = op[0]
        if kind == "rect":
            _, box, fill, outline, width = op
            draw.rectangle(box, fill=fill, outline=outline, width=width)
        elif kind == "ellipse":
            draw.ellipse(op[1], fill=op[2])
        elif kind == "polygon":
            draw.polygon(op[1], fill=op[2])
        elif kind == "rrect":
            draw.rounded_rectangle(op[1], radius=op[2], fill=op[3])
        elif kind == "line":
            draw.line(op[1], fill=op[2], width=op[3])
        elif kind == "text":
            _, origin, text, face, fill = op
            draw.text(origin, text, font=face.font, fill=fill, anchor="ls", stroke_width=face.stroke,
                      stroke_fill=fill)
        elif kind == "qr":
            _, (x, y), matrix, module = op
            image.paste(qr_tile(matrix, module), (int(x), int(y)))
        elif kind == "image":
            _, (x, y), photo = op
            image.paste(photo, (int(x), int(y)))
        elif kind == "emblem":
            _, (cx, cy), radius, ring, mark = op
            tile = _emblem_tile(int(radius), ring, mark)
            image.paste(tile, (int(cx - radius), int(cy - radius)), tile)
        elif kind == "page":
            _, (x, y), inner = op
            image.paste(inner.image, (int(x), int(y)))
        else:
            raise ValueError(f"unknown drawing operation {kind!r}")
