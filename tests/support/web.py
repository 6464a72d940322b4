"""The web page's test helpers: tiny workbooks, a client that acts like the page, waiting for runs."""

from __future__ import annotations

import io
import json
import re
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

from flask.testing import FlaskClient
from support.workbooks import write_book

DAY = date(2017, 6, 5)
Book = dict[str, list[list[object]]]


def tiny_book(name: str = "Tiny Fair") -> Book:
    """Four attendees, one morning, two tables: solved in well under a second."""
    return {
        "Event": [["Setting", "Value"], ["Name", name], ["Meeting minutes", 20], ["Buffer minutes", 5]],
        "Schedule": [["Date", "Start", "End", "Activity", "Label"],
                     [DAY, clock(9), clock(10, 15), "Meetings", "Morning meetings"]],
        "Rooms": [["Room", "Use", "Capacity", "Tables"], ["Ballroom", "Meetings", None, 2]],
        "Attendees": [["Attendee", "Name", "Organization"], ["A1", "Ann Lee", "Acme"], ["A2", "Bob Roy", "Bolt"],
                      ["A3", "Cy Tan", "Cog"], ["A4", "Di Fox", "Dyn"]],
        "Requests": [["From", "To", "Priority"], ["A1", "A2", "High"], ["A1", "A3", "High"],
                     ["A2", "A4", "Medium"], ["A3", "A4", "Low"]],
    }


def save(book: Book, path: Path) -> Path:
    return write_book(path, book)


class PageClient(FlaskClient):
    """The organizer's browser: sends the token printed in the page with every POST."""

    def post(self, *args, **kwargs):
        if not getattr(self, "token", None):
            page = self.get("/").get_data(as_text=True)
            self.token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        headers = {"Origin": "http://localhost", **(kwargs.pop("headers", None) or {})}
        data = kwargs.pop("data", None)
        if isinstance(data, dict):
            data = {"csrf_token": self.token, **data}
        else:
            headers["X-CSRF-Token"] = self.token
        return super().post(*args, data=data, headers=headers, **kwargs)


def wait_while(client: FlaskClient, run_id: str, state: str, timeout: float) -> dict:
    """The run's status once it is no longer in ``state``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = client.get(f"/runs/{run_id}/status").get_json()
        if status["state"] != state:
            return status
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} still {state} after {timeout} s")


def wait_checked(client: FlaskClient, run_id: str) -> dict:
    return wait_while(client, run_id, "checking", 60)


def upload(client: FlaskClient, *files: tuple[bytes, str], **fields):
    """Upload as the page does, wait for the check (it goes on in the background), then show the run."""
    data = {"workbooks": [(io.BytesIO(content), name) for content, name in files], **fields}
    response = client.post("/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    run_id = response.headers["Location"].rsplit("/", 1)[1]
    wait_checked(client, run_id)
    return client.get(f"/runs/{run_id}")


def run_id_of(response) -> str:
    match = re.fullmatch(r"/runs/([\w-]+)", response.request.path)
    assert match, response.request.path
    return match.group(1)


def status_file(runs_dir: Path, run_id: str) -> dict:
    return json.loads((runs_dir / run_id / "status.json").read_text(encoding="utf-8"))


def text(response) -> str:
    return response.get_data(as_text=True)


def wait_done(client: FlaskClient, run_id: str) -> dict:
    return wait_while(client, run_id, "running", 120)


def start(client: FlaskClient, run_id: str, limit: str = "5"):
    wait_checked(client, run_id)
    return client.post(f"/runs/{run_id}/start", data={"time_limit": limit}, headers={"Accept": "application/json"})





def hog(*_: object) -> None:
    """A read that holds the interpreter for ages (catastrophic backtracking holds Python's
    global lock): the worst a workbook reader could do. Module-level, so a child process can run it."""
    re.fullmatch("(a+)+b", "a" * 60)
