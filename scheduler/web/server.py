"""``scheduler serve``: the page served by waitress, one server per runs folder.

waitress is a production WSGI server in pure Python (no compiled parts, so
it installs everywhere Python does), well kept, with a pool of threads; it
prints no "development server" warning. The socket is bound first, so the
page knows the port it answers on (``--port 0`` picks a free one) before
the guard is set up.

A lock file in the runs folder makes a second server on the same folder
refuse to start: two servers would each think the other's running solves
were interrupted, and could solve the same run twice.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .guard import is_loopback

LOCK_NAME = ".serve.lock"
THREADS = 8


class ServeError(Exception):
    """The server cannot start; the message says why and what to do."""


@dataclass
class Served:
    url: str
    app: Any  # the Flask app
    server: Any  # waitress's server: .run() serves until .close()
    lock: IO[str]
    closing: bool = False

    def run(self) -> None:
        """Serve until Ctrl-C or ``close()`` (from another thread)."""
        try:
            self.server.run()
        except (OSError, ValueError):
            if not self.closing:  # closing the sockets under the loop ends it with one of these
                raise

    def close(self) -> None:
        self.closing = True
        self.app.extensions["scheduler.runs"].close()  # a read under way would hold the exit for minutes
        self.server.task_dispatcher.shutdown(timeout=5)  # answers under way finish first
        self.server.close()
        with contextlib.suppress(OSError):
            self.lock.close()


def lock_runs(runs_dir: Path, url: str) -> IO[str]:
    """Hold the runs folder's lock for as long as the returned file stays open."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    path = runs_dir / LOCK_NAME
    handle = path.open("a+", encoding="utf-8")
    try:
        _lock(handle)
    except OSError:
        handle.seek(0)
        holder = handle.read().strip() or "another program"
        handle.close()
        raise ServeError(f"the runs folder {runs_dir} is already served by {holder}; stop that server first, "
                         "or give this one another folder with --runs") from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"process {os.getpid()} at {url}\n")
    handle.flush()
    return handle


def _lock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


def check_host(host: str, allow_remote: bool) -> str | None:
    """A warning to print for a non-loopback address; ServeError without --allow-remote."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise ServeError(f"--host {host} would let other computers on the network open the page, with every "
                         "attendee's e-mail; add --allow-remote if that is what you want")
    return (f"warning: listening on {host}: anyone who can reach this computer at that address can open the "
            "page. Use it only on a network you trust, and stop the server when done.")


def bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as err:
        raise ServeError(f"--host {host} is not an address of this computer ({err.strerror})") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as err:
        sock.close()
        raise ServeError(f"cannot listen on {host} port {port}: {err.strerror}; "
                         "choose another port with --port") from None
    sock.listen(128)
    return sock


def start(runs_dir: Path, host: str = "127.0.0.1", port: int = 8000) -> Served:
    """Bind, lock the runs folder, build the app: ready to ``run()``."""
    from waitress import create_server

    from .app import create_app

    sock = bind(host, port)
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    try:
        lock = lock_runs(runs_dir, url)
    except ServeError:
        sock.close()
        raise
    app = create_app(runs_dir, host=host, port=port)
    server = create_server(app, sockets=[sock], threads=THREADS, ident="scheduler", clear_untrusted_proxy_headers=True)
    return Served(url, app, server, lock)
