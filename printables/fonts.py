"""Find a CJK font and fit text into a box: shrink first, then wrap, never overflow or cut."""
import contextlib
import contextvars
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from PIL import ImageFont

SYSTEM_DIR = Path("/usr/share/fonts/opentype/noto")
SC_INDEX = 2  # Noto CJK collections hold JP, KR, SC, TC, HK: the Simplified Chinese face is third
SOFT_BREAK = "\u200b"  # a zero-width space in text marks where a wrap reads best
NO_LINE_START = set("，。、；：？！）》」』”’%·…—,.;:?!)]}")
NO_LINE_END = set("（《「『“‘([{")
BREAK_AFTER = set("，、；：。！？ ,;")

_configured = contextvars.ContextVar("leifeng_font", default=None)


class FontMissing(RuntimeError):
    """No CJK font could be found."""


@contextlib.contextmanager
def using(path):
    """Render with this font file inside the block (None keeps the usual search)."""
    token = _configured.set(str(path) if path else None)
    try:
        yield
    finally:
        _configured.reset(token)


def _pylopdf_face(serif):
    try:
        import pylopdf_fonts_zh_cn as package
    except ImportError:
        return None
    return Path(package.serif_path() if serif else package.sans_path())


def _with_index(spec):
    """Path and face index: "file.ttc#2" names a face inside a collection, a plain path face 0."""
    path, _, index = str(spec).partition("#")
    return Path(path), int(index) if index.isdigit() else 0


def _setting():
    return _configured.get() or os.environ.get("LEIFENG_FONT"), os.environ.get("LEIFENG_FONT_BOLD")


def candidates(bold=False, serif=False, setting=None):
    """(path, collection index, real bold?) in the order they are tried."""
    configured, configured_bold = setting or _setting()
    if configured:
        if bold and configured_bold:
            yield *_with_index(configured_bold), True
        yield *_with_index(configured), False
        return
    family = "Serif" if serif else "Sans"
    if bold:  # the PyPI package ships no bold face: take the system's, else stroke the regular one
        yield SYSTEM_DIR / f"Noto{family}CJK-Bold.ttc", SC_INDEX, True
    packaged = _pylopdf_face(serif)
    if packaged:
        yield packaged, 0, False
    yield SYSTEM_DIR / f"Noto{family}CJK-Regular.ttc", SC_INDEX, False


def find_font(bold=False, serif=False):
    """The (path, index, real_bold) that will be used, or FontMissing."""
    return _find(_setting(), bold, serif)


@functools.lru_cache(maxsize=64)
def _find(setting, bold, serif):
    for path, index, real_bold in candidates(bold, serif, setting):
        if path.is_file():
            return str(path), index, real_bold
    if setting[0]:
        raise FontMissing(f"找不到配置的字体 / configured font not found: {setting[0]}")
    raise FontMissing("没有找到中文字体：请安装 pylopdf-fonts-zh-cn 或 fonts-noto-cjk，或设置 LEIFENG_FONT。"
                      " No CJK font: pip install pylopdf-fonts-zh-cn, apt-get install fonts-noto-cjk,"
                      " or set LEIFENG_FONT to a .ttf/.otf/.ttc file.")


# A loaded face holds about 2.5 MB and opening one takes about half a millisecond: keep a few dozen
# (fitting text tries many sizes). With 512 kept, a serving worker grew by 1.3 GB (issue 12).
FACES_KEPT = 8


@functools.lru_cache(maxsize=FACES_KEPT)
def _load(path, index, size):
    return ImageFont.truetype(path, size, index=index)


def font(size, bold=False, serif=False):
    """A CJK face at a pixel size; its .stroke is non-zero when a missing bold is faked with a stroke."""
    return _face(find_font(bold, serif), max(1, int(size)), bold)


@functools.lru_cache(maxsize=FACES_KEPT)  # a FaceAt holds its loaded face: no more of them than of those
def _face(found, size, bold):
    path, index, real_bold = found
    return FaceAt(_load(path, index, size), bold and not real_bold)


class FaceAt:
    """A loaded font plus how to draw it: a stroke stands in for a missing bold face."""

    def __init__(self, f, faux_bold):
        self.font, self.size = f, f.size
        self.stroke = max(1, self.size // 28) if faux_bold else 0

    def width(self, draw, text):
        return draw.textlength(text, font=self.font) + 2 * self.stroke

    @functools.cached_property
    def em_top(self):
        """Distance from the top of the em box down to the baseline, centred on an ideograph's ink."""
        _x0, top, _x1, bottom = self.font.getbbox("国", anchor="ls")
        return self.size / 2 - (top + bottom) / 2


@dataclass
class TextLayout:
    """What fit_text chose: the font, the lines, and (after placing) where the ink landed."""
    face: FaceAt
    lines: list
    line_height: int
    width: float
    height: float
    widths: list = field(default_factory=list)
    fits: bool = True
    origins: list = field(default_factory=list)
    bbox: tuple = None

    @property
    def size(self):
        return self.face.size

    def place(self, box, align="center", valign="middle"):
        """Origins (x, baseline y) for each line inside box (x0, y0, x1, y1)."""
        x0, y0, x1, y1 = box
        top = {"top": y0, "middle": y0 + (y1 - y0 - self.height) / 2, "bottom": y1 - self.height}[valign]
        self.origins = []
        for i, w in enumerate(self.widths):
            x = {"left": x0, "center": x0 + (x1 - x0 - w) / 2, "right": x1 - w}[align] + self.face.stroke
            slot = top + i * self.line_height
            self.origins.append((x, slot + (self.line_height - self.size) / 2 + self.face.em_top))
        return self.origins


def _tokens(text):
    """Unbreakable pieces: Latin words and numbers whole, CJK punctuation glued to its neighbour."""
    tokens = []
    for ch in text:
        last = tokens[-1][-1:] if tokens else ""
        latin = ch.isascii() and not ch.isspace() and last.isascii() and last and not last.isspace()
        if tokens and (ch in NO_LINE_START or latin or last in NO_LINE_END):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def wrap(draw, face, text, width):
    """Lines no wider than width; a token wider than the line is split by character."""
    lines = []
    for para in text.split("\n"):
        line = ""
        for token in _tokens(para):
            cut = max((i + 1 for i, ch in enumerate(line[:-1]) if ch in BREAK_AFTER), default=0)
            if not line or face.width(draw, line + token) <= width:
                line += token
            elif cut >= 0.6 * len(line) and face.width(draw, line[cut:] + token) <= width:
                lines.append(line[:cut].rstrip())  # a break after a comma reads better
                line = line[cut:].lstrip() + token
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
            while len(line) > 1 and face.width(draw, line) > width:  # a long URL or number
                cut = max(i for i in range(1, len(line) + 1) if i == 1 or face.width(draw, line[:i]) <= width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _balanced(draw, face, text, width):
    """Wrap, then even the lines out so the last line is not a lone character."""
    if "\n" in text:
        return [ln for para in text.split("\n") for ln in _balanced(draw, face, para, width)]
    lines = wrap(draw, face, text, width)
    if len(lines) < 2:
        return lines
    low, high = face.width(draw, text) / len(lines), width
    best = lines
    while high - low > 2:
        mid = (low + high) / 2
        trial = wrap(draw, face, text, mid)
        if len(trial) <= len(lines):
            best, high = trial, mid
        else:
            low = mid
    return best


def _sizes(high, low):
    size = int(high)
    while size >= low:
        yield size
        size = min(size - 1, int(size * 0.95)) if size > 24 else size - 1


def _layout(draw, face, lines, spacing):
    line_h = max(1, round(face.size * spacing))
    widths = [face.width(draw, ln) for ln in lines]
    return TextLayout(face, lines, line_h, max(widths, default=0), line_h * len(lines), widths)


def fit_text(draw, text, max_width, max_size, min_size=12, max_height=None, bold=False, serif=False,
             spacing=1.25, one_line_down_to=0.7, balance=True):
    """The largest layout of text inside max_width x max_height.

    Shrinks on one line down to one_line_down_to * max_size (not below min_size); then wraps,
    largest size first, down to min_size: balanced lines for titles, filled lines for body text
    (balance=False), at soft breaks when that costs under 15% of the size. If even min_size is
    too big it keeps shrinking (layout.fits is then False). Nothing is ever cut: "".join(lines)
    is the text less soft breaks and the spaces where lines break.
    """
    text = str(text or "")
    height = max_height if max_height is not None else float("inf")
    plain = text.replace(SOFT_BREAK, "")
    floor = max(min_size, int(max_size * one_line_down_to))
    if "\n" not in text:
        layout = _largest(list(_sizes(max_size, floor)),
                          lambda size: _layout(draw, font(size, bold, serif), [plain], spacing), max_width, height)
        if layout:
            return layout
    plain_fit = _largest_wrapped(draw, plain, max_width, height, max_size, min_size, bold, serif, spacing,
                                 balance)
    if SOFT_BREAK in text:  # the hinted breaks win unless they cost more than 15% of the size
        tails = text.split(SOFT_BREAK)[1:]  # what follows a soft break stays whole (学雷锋志愿服务点)
        hinted = _largest_wrapped(draw, text.replace(SOFT_BREAK, "\n"), max_width, height, max_size, min_size,
                                  bold, serif, spacing, balance, lambda lines: all(t in lines for t in tails))
        if hinted and (not plain_fit or hinted.size >= 0.85 * plain_fit.size):
            return hinted
    if plain_fit:
        return plain_fit
    layout = _layout(draw, font(4, bold, serif), wrap(draw, font(4, bold, serif), plain, max_width), spacing)
    layout.fits = False
    return layout


def _largest_wrapped(draw, text, max_width, height, max_size, min_size, bold, serif, spacing, balance,
                     accept=None):
    """The largest wrap that fits (and that accept(lines) takes), below min_size only if nothing else does."""
    def at(size):
        face = font(size, bold, serif)
        return _layout(draw, face, (_balanced if balance else wrap)(draw, face, text, max_width), spacing)

    layout = _largest(list(_sizes(max_size, min_size)), at, max_width, height, accept)
    if layout is None:
        layout = _largest(list(_sizes(min_size - 1, 4)), at, max_width, height, accept)
        if layout:
            layout.fits = False
    return layout


def _largest(sizes, layout_at, max_width, height, accept=None):
    """Binary search down a descending list of sizes for the first layout that fits (smaller always fits)."""
    best, low, high = None, 0, len(sizes) - 1
    while low <= high:
        mid = (low + high) // 2
        layout = layout_at(sizes[mid])
        if layout.width <= max_width and layout.height <= height and (accept is None or accept(layout.lines)):
            best, high = layout, mid - 1
        else:
            low = mid + 1
    return best
