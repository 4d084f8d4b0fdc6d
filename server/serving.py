"""Serve with gunicorn: one worker (Socket.IO rooms live in its memory) and many threads."""
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, factory, options):
        self.factory, self.options = factory, options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.factory()


def serve(factory, host, port, threads=64):
    """Run the app made by factory (called in the worker) until stopped."""
    _Gunicorn(factory, {
        "bind": f"{host}:{port}", "workers": 1, "threads": threads, "worker_class": "gthread",
        "timeout": 120, "graceful_timeout": 10, "umask": 0o077, "accesslog": None, "errorlog": "-",
        "loglevel": "warning",
    }).run()
