"""Keep the serving worker's memory bounded (issue 12: after the attacks the worker held 957 MiB).

What grew: printables. One A3 page at 300 dpi is a 52 MB image, PDF pages more; with 64 threads
each rendering at once the worker reached about 1.4 GB, and glibc then kept much of it: one malloc
arena per thread, and its mmap threshold, which rises after the first large free, so later large
buffers land in the arenas and stay resident. So:

- at most RENDER_SLOTS printables render at once (renders are CPU-bound: more than the cores buy
  nothing); a request that waits longer than RENDER_WAIT_SECONDS is answered 503 with Retry-After;
- the worker limits glibc to a few arenas and fixes the mmap threshold, so large buffers are
  mapped and given back when freed (tune_malloc, from the gunicorn worker's post_fork);
- after a render, freed heap is returned to the system (malloc_trim);
- when serving, printables render in a separate render process (spawned, replaced after
  TASKS_PER_RENDERER renders): a register PDF alone can take 250 MB while it is made (fpdf2 and
  fontTools parse the whole CJK font), and that memory leaves with the process, not the worker.
"""
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from server.errors import ApiError

RENDER_SLOTS = 1
RENDER_WAIT_SECONDS = 60
TASKS_PER_RENDERER = 50
ARENA_MAX = 2
MMAP_THRESHOLD = 1 << 20   # buffers of 1 MiB and more are mapped, and unmapped when freed
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8

_slots = threading.BoundedSemaphore(RENDER_SLOTS)


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt, libc.malloc_trim  # noqa: B018 - glibc only
        return libc
    except (OSError, AttributeError):
        return None


_LIBC = _libc()


def tune_malloc():
    """Few arenas, a fixed mmap threshold: call in the worker before its threads start. True if applied."""
    if _LIBC is None:
        return False
    ok = _LIBC.mallopt(_M_ARENA_MAX, ARENA_MAX) == 1
    ok &= _LIBC.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    ok &= _LIBC.mallopt(_M_TRIM_THRESHOLD, 4 * MMAP_THRESHOLD) == 1
    return bool(ok)


def trim():
    """Give freed heap memory back to the system."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


@contextlib.contextmanager
def render_slot(wait=RENDER_WAIT_SECONDS):
    """Hold one of the few render slots while a printable is made; 503 if none frees in time."""
    if not _slots.acquire(timeout=wait):
        raise ApiError(503, "printing_busy", "正在生成其他打印资料，请稍后再试",
                       "Other printables are being made; please try again shortly", retry_after=10)
    try:
        yield
    finally:
        _slots.release()
        trim()


# --- printables in a render process (only when serving: tests and commands render in process) ----

_apart = {"on": False, "pool": None}
_pool_lock = threading.Lock()


def render_apart():
    """Serve printables from a render process from now on (the gunicorn worker's post_fork)."""
    _apart["on"] = True


def _pool():
    with _pool_lock:
        if _apart["pool"] is None:
            _apart["pool"] = ProcessPoolExecutor(max_workers=RENDER_SLOTS, max_tasks_per_child=TASKS_PER_RENDERER,
                                                 mp_context=multiprocessing.get_context("spawn"))
        return _apart["pool"]


def _render_file(kind, data, fmt, bleed, options):
    from printables import render
    return render(kind, data, fmt=fmt, bleed=bleed, **options)


def _render_preview(kind, data, options):
    import io

    from printables import render_pages
    image = render_pages(kind, data, **options)[0]
    image.thumbnail((640, 640))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _run(fn, *args):
    with render_slot():
        if not _apart["on"]:
            return fn(*args)
        try:
            return _pool().submit(fn, *args).result(timeout=RENDER_WAIT_SECONDS * 2)
        except BrokenProcessPool:
            with _pool_lock:  # the render process died (killed, out of memory): a new one next time
                _apart["pool"] = None
            raise ApiError(503, "printing_failed", "生成打印资料的进程意外退出，请重试",
                           "The printing process stopped unexpectedly; please try again", retry_after=5) from None


def render_file(kind, data, fmt="pdf", bleed=0, **options):
    """printables.render, within a render slot (and in the render process when serving)."""
    return _run(_render_file, kind, data, fmt, bleed, options)


def render_preview(kind, data, **options):
    """The first page as a PNG of at most 640 px, for a page's preview."""
    return _run(_render_preview, kind, data, options)
