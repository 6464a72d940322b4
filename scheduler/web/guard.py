"""What keeps other web sites out of the organizer's page.

The page listens on the organizer's own computer, but every web site the
organizer visits runs in the same browser and could send requests to it:

- Host check (DNS rebinding): a site can make its own name point at
  127.0.0.1 and then read the page as if it were its own. Every request
  whose Host header is not an address the server was started on is refused
  (400) before any route runs.
- Cross-site requests: every request that changes something (POST) needs
  the per-session token printed in the page's forms (another site cannot
  read it) and, when the browser says where it comes from (Origin, else
  Referer), the page's own origin. ``Origin: null`` (a sandboxed frame, a
  file) is refused unless the token is valid (403).
- Headers on every response: a strict Content-Security-Policy (own scripts
  and styles only, no framing), X-Frame-Options, nosniff, a same-origin
  Referrer-Policy, and no caching of pages holding attendees' data.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, request, session

log = logging.getLogger(__name__)

TOKEN_FIELD = "csrf_token"
TOKEN_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")

PAGE_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# report.html is self-contained: inline styles and SVG charts, no script at all.
REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
                 "form-action 'none'; frame-ancestors 'none'")
# Chromium shows PDFs with a built-in viewer that object-src 'none' would block.
FILE_POLICY = "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


class Refused(Exception):
    """A request refused by the guard: its status and a plain message. Logged, so the
    organizer can see that another site tried."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
        log.warning("refused %s %s (Host: %s, Origin: %s, Referer: %s): %s", request.method, request.path,
                    request.host[:100], request.headers.get("Origin"), request.headers.get("Referer", "")[:100],
                    message)


def host_names(host: str) -> tuple[str, ...]:
    """The names a browser may use for the address the server listens on."""
    if host in ("127.0.0.1", "localhost", "::1", "[::1]"):
        return LOOPBACK
    bracketed = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return (*LOOPBACK, bracketed.casefold())


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1", "[::1]") or host.startswith("127.")


def install(app: Flask, runs_dir: Path, host: str = "127.0.0.1", port: int | None = None) -> None:
    """Turn the guard on for ``app``: Host check, tokens, headers.

    ``port`` None accepts any port (the test client sends ``Host: localhost``).
    """
    app.config.update(
        SECRET_KEY=secret_key(runs_dir),
        # Cookies are shared by every port of a host: the port in the name keeps two servers apart.
        SESSION_COOKIE_NAME=f"scheduler-session-{port or 'test'}",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        ALLOWED_HOSTS=allowed_hosts(host, port),
    )
    app.before_request(check_request)
    app.after_request(add_headers)
    app.jinja_env.globals["csrf_token"] = token


def allowed_hosts(host: str, port: int | None) -> frozenset[str]:
    names = host_names(host)
    if port is None:
        return frozenset(names)
    return frozenset(f"{name}:{port}" for name in names) | (frozenset(names) if port == 80 else frozenset())


def secret_key(runs_dir: Path) -> bytes:
    """The key that signs the session cookie, kept in the runs folder (readable by the
    organizer only) so that open pages keep working across a restart."""
    path = Path(runs_dir) / ".secret-key"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key)
    return key


def token() -> str:
    """This session's token, made on first use."""
    if TOKEN_FIELD not in session:
        session[TOKEN_FIELD] = secrets.token_urlsafe(32)
    return session[TOKEN_FIELD]


def check_request() -> None:
    from flask import current_app

    allowed: Iterable[str] = current_app.config["ALLOWED_HOSTS"]
    if request.host.casefold() not in allowed:
        raise Refused(400, "This page answers only at the address it was started on "
                           f"(found Host: {request.host[:100]}).")
    if request.method in SAFE_METHODS:
        return
    origin = request.headers.get("Origin")
    if origin is not None and origin != "null" and not same_origin(origin):
        raise Refused(403, "This form was sent from another web site, so it was refused.")
    referer = request.headers.get("Referer")
    if origin in (None, "null") and referer and not same_origin(referer):
        raise Refused(403, "This form was sent from another web site, so it was refused.")
    if not valid_token():
        raise Refused(403, "This form has expired or was sent from another web site, so it was refused. "
                           "Reload the page and try again.")


def same_origin(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == request.scheme and parts.netloc.casefold() == request.host.casefold()


def valid_token() -> bool:
    expected = session.get(TOKEN_FIELD)
    # Read the form only after the origin checks: a cross-site upload is refused before it is parsed.
    sent = request.headers.get(TOKEN_HEADER) or request.form.get(TOKEN_FIELD, "")
    return bool(expected) and hmac.compare_digest(str(expected), str(sent))


def add_headers(response: Response) -> Response:
    policy = PAGE_POLICY
    if response.mimetype == "text/html" and request.path.endswith("/files/report.html"):
        policy = REPORT_POLICY
    elif response.mimetype not in ("text/html", "application/json", "text/css", "text/javascript"):
        policy = FILE_POLICY
    headers = response.headers
    headers.setdefault("Content-Security-Policy", policy)
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    if response.mimetype in ("text/html", "application/json"):
        headers["Cache-Control"] = "no-store"
    return response
