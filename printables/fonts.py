"""Find a CJK font and fit text into a box: shrink first, then wrap, never overflow."""
import functools
import os
from pathlib import Path

from PIL import ImageFont

_SYSTEM = Path("/usr/share/fonts/opentype/noto")


class FontMissing(RuntimeError):
    """No CJK font could be found."""


def _candidates(bold, serif):
    family = "Serif" if serif else "Sans"
    if os.environ.get("LEIFENG_FONT"):
        yield Path(os.environ["LEIFENG_FONT"]), 0
    if bold:
        yield _SYSTEM / f"Noto{family}CJK-Bold.ttc", 2  # index 2: the SC face in the collection
    try:
        import pylopdf_fonts_zh_cn
        yield Path(pylopdf_fonts_zh_cn.__file__).parent / f"Noto{family}SC-Regular.otf", 0
    except ImportError:
        pass
    yield _SYSTEM / f"Noto{family}CJK-Regular.ttc", 2


@functools.lru_cache(maxsize=256)
def font(size, bold=False, serif=False):
    """A CJK font at a pixel size; bold falls back to the regular face (drawn with a stroke)."""
    for path, index in _candidates(bold, serif):
        if path.exists():
            return ImageFont.truetype(str(path), int(size), index=index)
    raise FontMissing("没有找到中文字体：请 pip install pylopdf-fonts-zh-cn 或设置 LEIFENG_FONT / "
                      "No CJK font: install pylopdf-fonts-zh-cn or set LEIFENG_FONT")


def is_real_bold(f):
    return "Bold" in (f.path if hasattr(f, "path") else "")


def text_width(f, text):
    return f.getlength(text)


def wrap(f, text, width):
    """Break text into lines no wider than width (CJK breaks anywhere; keeps Latin words whole)."""
    lines = []
    for para in str(text).split("\n"):
        line = ""
        for token in _tokens(para):
            if text_width(f, line + token) <= width or not line:
                line += token
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
        lines.append(line)
    return lines


def _tokens(text):
    token = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            token += ch
            continue
        if token:
            yield token
            token = ""
        yield ch
    if token:
        yield token


def _balanced(f, text, width):
    """Wrap, then even the lines out so no line holds a lone last character."""
    lines = wrap(f, text, width)
    if len(lines) < 2 or "\n" in text:
        return lines
    target = text_width(f, text) / len(lines)
    while target < width:
        trial = wrap(f, text, target)
        if len(trial) == len(lines):
            return trial
        target += f.size / 2
    return lines


def fit_text(text, width, height, max_size, min_size=12, bold=False, serif=False, spacing=1.25):
    """The largest font (and its lines) that fits text in width x height.

    One line is kept while the text can stay at 70% of max_size or more; below that the text
    wraps into balanced lines. Returns (font, lines, line_height).
    """
    size = int(max_size)
    one_line_floor = max(min_size, int(max_size * 0.7))
    candidates = []
    while size >= min_size:
        f = font(size, bold, serif)
        line_h = int(size * spacing)
        single = "\n" not in text and text_width(f, text) <= width and line_h <= height
        if single and size >= one_line_floor:
            return f, [text], line_h
        lines = _balanced(f, text, width)
        if len(lines) * line_h <= height and all(text_width(f, ln) <= width for ln in lines):
            candidates.append((f, lines, line_h))
            if size < one_line_floor or len(lines) > 1:
                return candidates[0]
        size = int(size * 0.94) if size > 20 else size - 1
    if candidates:
        return candidates[0]
    f = font(min_size, bold, serif)
    lines = wrap(f, text, width)
    line_h = int(min_size * spacing)
    return f, lines[: max(1, height // line_h)], line_h
