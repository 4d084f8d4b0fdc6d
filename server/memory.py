"""Keep the serving worker's memory bounded (issue 12: after the attacks the worker held 957 MiB).

What grew: printables. One A3 page at 300 dpi is a 52 MB image, PDF pages more; with 64 threads
each rendering at once the worker reached about 1.4 GB, and glibc then kept much of it: one malloc
arena per thread, and its mmap threshold, which rises after the first large free, so later large
buffers land in the arenas and stay resident. So:

- at most RENDER_SLOTS printables render at once (renders are CPU-bound: more than the cores buy
  nothing); a request that waits longer than RENDER_WAIT_SECONDS is answered 503 with Retry-After;
- the worker limits glibc to a few arenas and fixes the mmap threshold, so large buffers are
  mapped and given back when freed (tune_malloc, from the gunicorn worker's post_fork);
- after a render, freed heap is returned to the system (malloc_trim).
"""
import contextlib
import ctypes
import ctypes.util
import os
import threading

from server.errors import ApiError

RENDER_SLOTS = max(1, min(2, os.cpu_count() or 1))
RENDER_WAIT_SECONDS = 60
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
