"""Font files for vector output: a small working copy of each CJK face, and exact subsets to embed.

A Noto CJK face holds 65,000 glyphs; reading it costs about 0.4 s every time a PDF library subsets it.
So each face is cut once to a working font (printable ASCII, GB 2312's symbols and level-1 hanzi,
and every character the printables' own text uses: about 4,600 glyphs), cached on disk. A document
whose text the working font lacks draws those characters from a supplement cut from the full face.
"""
import functools
import hashlib
import io
import os
import tempfile
import threading
from pathlib import Path

from fontTools import subset, ttLib

VERSION = 2  # a change to how fonts are cut: every cached cut is made again
_lock = threading.Lock()


def cache_dir():
    """LEIFENG_FONT_CACHE, else ~/.cache/leifeng-fonts (XDG_CACHE_HOME honoured)."""
    configured = os.environ.get("LEIFENG_FONT_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "leifeng-fonts"


@functools.lru_cache(maxsize=1)
def working_chars():
    """The characters every working font holds."""
    chars = {chr(c) for c in range(0x20, 0x7F)}
    for high in [*range(0xA1, 0xAA), *range(0xB0, 0xD8)]:  # GB 2312 symbols and level-1 hanzi
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for source in Path(__file__).parent.glob("*.py"):  # the printables' own titles, rules and labels
        chars.update(ch for ch in source.read_text(encoding="utf-8") if ord(ch) > 0x7F)
    chars.update("\u3000\u200b")
    return frozenset(chars)


def _options():
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "VORG", "vhea", "vmtx"]
    options.desubroutinize = True  # outlines without shared subroutines: each PDF's subset is cut 40% faster
    return options


def _cut(path, index, chars):
    """Bytes of an OpenType font holding just these characters of a face."""
    font = ttLib.TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)
    subsetter = subset.Subsetter(_options())
    subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _cached(name, build):
    """A file in the cache folder, built once (atomically, so parallel workers never read half a font)."""
    folder = cache_dir()
    target = folder / name
    if target.is_file():
        return str(target)
    with _lock:
        if target.is_file():
            return str(target)
        data = build()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=folder, suffix=".part")
        except OSError:  # a read-only home: keep the cut font in the temporary folder instead
            folder = Path(tempfile.gettempdir()) / "leifeng-fonts"
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / name
            handle, temp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    return str(target)


def _key(path, index, extra=""):
    stat = os.stat(path)
    return hashlib.sha256(f"{VERSION}|{path}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{extra}".encode()
                          ).hexdigest()[:24]


def working_font(path, index=0):
    """Path of the face's working font (built and cached on first use)."""
    return _cached(f"work-{_key(path, index)}.otf", lambda: _cut(path, index, working_chars()))


@functools.lru_cache(maxsize=16)
def covered(path, index=0):
    """Code points the working font of a face can draw."""
    return frozenset(ttLib.TTFont(working_font(path, index), lazy=True).getBestCmap())


@functools.lru_cache(maxsize=16)
def face_chars(path, index=0):
    """Code points the full face can draw."""
    return frozenset(ttLib.TTFont(path, fontNumber=index, lazy=True).getBestCmap())


def supplement(path, index, chars):
    """Path of a font holding those of these characters the full face has (cached by the set), or None."""
    chars = "".join(sorted(c for c in set(chars) if ord(c) in face_chars(path, index)))
    if not chars:
        return None
    name = f"extra-{_key(path, index, chars)}.otf"
    return _cached(name, lambda: _cut(path, index, chars))


@functools.lru_cache(maxsize=64)
def embedded_subset(path, index, chars):
    """Bytes of a font with exactly these characters, to embed in an SVG (chars: a sorted string)."""
    if {ord(c) for c in chars} <= covered(path, index):
        return _cut(working_font(path, index), 0, chars)
    drawable = "".join(c for c in chars if ord(c) in face_chars(path, index))
    return _cut(path, index, drawable or " ")
