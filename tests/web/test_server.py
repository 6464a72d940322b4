"""``scheduler serve``: waitress on loopback, one server per runs folder, remote
addresses only on request, and a hostile workbook that never stalls the page."""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.web import hog
from support.workbooks import minimal, write_book

from scheduler.cli import main
from scheduler.web import server


@pytest.fixture
def served(runs_dir: Path) -> Iterator[server.Served]:
    running = server.start(runs_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    yield running
    running.close()
    thread.join(10)


class Browser:
    """Plain HTTP to the served page, with its cookie and token, like the page itself."""

    def __init__(self, url: str):
        self.host, self.port = url.removeprefix("http://").rsplit(":", 1)
        self.cookie = ""
        self.token = ""

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None,
                timeout: float = 30) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection(self.host, int(self.port), timeout=timeout)
        sent = {"Cookie": self.cookie} if self.cookie else {}
        connection.request(method, path, body=body or None, headers={**sent, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        connection.close()
        if response.getheader("Set-Cookie"):
            self.cookie = response.getheader("Set-Cookie").split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def page(self, path: str = "/") -> bytes:
        status, _, body = self.request("GET", path)
        assert status == 200, (path, status)
        found = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        if found:
            self.token = found.group(1).decode()
        return body

    def upload(self, name: str, data: bytes) -> str:
        boundary = "scheduler-test-boundary"
        parts = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.token}\r\n'
                 f'--{boundary}\r\nContent-Disposition: form-data; name="workbooks"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        origin = f"http://{self.host}:{self.port}"
        status, headers, _ = self.request("POST", "/upload", parts, {
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": origin})
        assert status == 303, status
        return headers["Location"].rsplit("/", 1)[1]

    def state(self, run_id: str) -> str:
        import json

        return json.loads(self.request("GET", f"/runs/{run_id}/status")[2])["state"]


def test_served_by_waitress_with_the_guard(served: server.Served) -> None:
    browser = Browser(served.url)
    status, headers, body = browser.request("GET", "/")
    assert status == 200
    assert headers["Server"] == "scheduler"  # waitress, as named by us; no development server
    assert headers["X-Frame-Options"] == "DENY"
    assert b"Upload and check" in body
    status, _, body = browser.request("GET", "/", headers={"Host": f"evil.example:{browser.port}"})
    assert status == 400 and b"Upload and check" not in body


def test_a_slow_read_never_blocks_other_pages(served: server.Served, tmp_path: Path) -> None:
    store = served.app.extensions["scheduler.runs"]
    browser = Browser(served.url)
    browser.page()
    good = browser.upload("good.xlsx", write_book(tmp_path / "good.xlsx", minimal()).read_bytes())
    while browser.state(good) == "checking":
        time.sleep(0.1)
    store.check_seconds = 10
    store.check_job = hog  # the worst reader: holds the interpreter for ages
    slow = browser.upload("slow.xlsx", write_book(tmp_path / "slow.xlsx", minimal()).read_bytes())
    assert browser.state(slow) == "checking"
    for path in ("/", f"/runs/{good}", f"/runs/{good}/status", "/static/app.css"):
        status, _, _ = browser.request("GET", path, timeout=10)  # answered while the slow read goes on
        assert status == 200, path
    assert browser.state(slow) == "checking"
    deadline = time.monotonic() + 60
    while browser.state(slow) == "checking" and time.monotonic() < deadline:
        time.sleep(0.2)
    page = browser.page(f"/runs/{slow}")
    assert b"took longer than 10 s, so it was stopped" in page
    assert browser.state(good) == "uploaded"


def test_a_second_server_on_the_same_runs_folder_refuses_to_start(served: server.Served, runs_dir: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "0", "--runs", str(runs_dir)])
    assert result.exit_code == 2
    assert "is already served by process" in result.output
    assert served.url in result.output
    assert "--runs" in result.output


def test_a_network_address_needs_allow_remote(runs_dir: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--runs", str(runs_dir)])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output
    assert not (runs_dir / server.LOCK_NAME).exists()  # refused before anything was touched
    assert server.check_host("0.0.0.0", allow_remote=True).startswith("warning: listening on 0.0.0.0")
    assert server.check_host("127.0.0.1", allow_remote=False) is None
    assert server.check_host("localhost", allow_remote=False) is None


def test_a_busy_port_is_a_plain_message(served: server.Served, tmp_path: Path) -> None:
    port = served.url.rsplit(":", 1)[1]
    result = CliRunner().invoke(main, ["serve", "--port", port, "--runs", str(tmp_path / "other")])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in result.output


def test_scheduler_serve_runs_the_page_until_ctrl_c(tmp_path: Path) -> None:
    import shutil
    import signal
    import subprocess
    import sys

    command = shutil.which("scheduler", path=str(Path(sys.executable).parent)) or "scheduler"
    process = subprocess.Popen([command, "serve", "--port", "0", "--runs", str(tmp_path / "runs")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", first).group(0)
        assert Browser(url).page().count(b"Upload and check") == 1
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "Stopped." in out
    assert "development server" not in first + out + err.casefold()
    server.lock_runs(tmp_path / "runs", "http://127.0.0.1:1").close()  # the lock went with the process
