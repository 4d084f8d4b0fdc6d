"""Believe X-Forwarded-For and X-Forwarded-Proto only from the reverse proxies named in TRUSTED_PROXIES."""
import ipaddress

from werkzeug.middleware.proxy_fix import ProxyFix


def _networks(addresses):
    if isinstance(addresses, str):
        addresses = [addresses]
    return [ipaddress.ip_network(a, strict=False) for a in addresses or ()]


class TrustedProxies:
    """WSGI middleware: a request from a trusted proxy takes the client address and scheme the
    proxy forwarded (its last hop); from anywhere else the headers are ignored."""

    def __init__(self, wsgi_app, addresses):
        self.plain, self.fixed = wsgi_app, ProxyFix(wsgi_app, x_for=1, x_proto=1)
        self.networks = _networks(addresses)

    def trusted(self, remote_addr):
        try:
            address = ipaddress.ip_address((remote_addr or "").strip("[]"))
        except ValueError:
            return False
        return any(address in net for net in self.networks)

    def __call__(self, environ, start_response):
        app = self.fixed if self.trusted(environ.get("REMOTE_ADDR")) else self.plain
        return app(environ, start_response)


def init_app(app):
    """Wrap the app (outermost, Socket.IO included) when proxies are named; off by default."""
    if app.config.get("TRUSTED_PROXIES"):
        app.wsgi_app = TrustedProxies(app.wsgi_app, app.config["TRUSTED_PROXIES"])
