"""Every attack of issue 12 replayed against the page, each refused.

Other web sites the organizer visits can send requests to the page: a
cross-site form (with its Origin, without one, or with ``Origin: null`` from
a sandboxed frame), or a page whose name was re-bound to 127.0.0.1 (its
requests carry a foreign Host). None may change anything or read anything.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from support.web import PageClient, run_id_of, upload

from scheduler.web.app import create_app

EVIL = "http://evil.example"


def runs_in(runs_dir: Path) -> list[str]:
    return sorted(p.name for p in runs_dir.iterdir() if (p / "status.json").is_file())


def upload_as(client: FlaskClient, tiny: Path, **kwargs):
    data = {"workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")], **kwargs.pop("data", {})}
    return client.post("/upload", data=data, content_type="multipart/form-data", **kwargs)


@pytest.fixture
def stranger(app: Flask) -> FlaskClient:
    """Another web site's page in the organizer's browser: no token (it cannot read the page)."""
    return FlaskClient(app)


@pytest.mark.parametrize("headers", [
    {"Origin": EVIL},
    {"Origin": EVIL, "Referer": f"{EVIL}/page"},
    {},  # no Origin at all (some browsers, plain scripts)
    {"Origin": "null"},  # a sandboxed iframe or a file:// page
    {"Referer": f"{EVIL}/page"},
    {"Origin": "http://localhost"},  # even the page's own origin needs the token
], ids=["origin", "origin+referer", "no-origin", "origin-null", "referer-only", "own-origin-no-token"])
def test_cross_site_upload_is_refused(stranger: FlaskClient, runs_dir: Path, tiny: Path, headers: dict) -> None:
    response = upload_as(stranger, tiny, headers=headers)
    assert response.status_code == 403
    assert "refused" in response.get_data(as_text=True)
    assert runs_in(runs_dir) == []


def test_a_stolen_token_from_another_origin_is_still_refused(client: FlaskClient, runs_dir: Path,
                                                             tiny: Path) -> None:
    client.get("/")
    response = upload_as(client, tiny, headers={"Origin": EVIL})  # the page's cookie and token, a foreign origin
    assert response.status_code == 403
    response = upload_as(client, tiny, headers={"Origin": "null", "Referer": f"{EVIL}/x"})
    assert response.status_code == 403
    assert runs_in(runs_dir) == []


def test_origin_null_with_the_pages_token_is_accepted(client: FlaskClient, runs_dir: Path, tiny: Path) -> None:
    # Only a page that could read the token can send it; a null Origin alone is no proof of an attack.
    response = upload_as(client, tiny, headers={"Origin": "null"})
    assert response.status_code == 303
    assert len(runs_in(runs_dir)) == 1


@pytest.mark.parametrize("action", ["start", "stop", "delete"])
def test_cross_site_start_stop_delete_are_refused(client: FlaskClient, stranger: FlaskClient, runs_dir: Path,
                                                   tiny: Path, action: str) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    for headers in ({"Origin": EVIL}, {}, {"Origin": "null"}):
        response = stranger.post(f"/runs/{run_id}/{action}", data={"time_limit": "3600"}, headers=headers)
        assert response.status_code == 403, headers
    status = client.get(f"/runs/{run_id}/status").get_json()
    assert status["state"] == "uploaded"
    assert runs_in(runs_dir) == [run_id]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "10.0.0.5"])
def test_a_foreign_host_reads_nothing(client: FlaskClient, tiny: Path, host: str) -> None:
    """DNS rebinding: the attacker's name now points at 127.0.0.1, so the browser sends its Host."""
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    for url in ("/", f"/runs/{run_id}", f"/runs/{run_id}/status", f"/runs/{run_id}/files/schedule.xlsx",
                "/template.xlsx"):
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 400, url
        body = response.get_data(as_text=True)
        assert run_id not in body and "Tiny Fair" not in body and "tiny.xlsx" not in body
    assert upload_as(client, tiny, headers={"Host": host}).status_code == 400


def test_only_the_served_port_is_accepted(runs_dir: Path) -> None:
    client = PageClient(create_app(runs_dir, host="127.0.0.1", port=8123))
    for host in ("127.0.0.1:8123", "localhost:8123", "[::1]:8123"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    for host in ("127.0.0.1:8124", "localhost", "evil.example:8123"):
        assert client.get("/", headers={"Host": host}).status_code == 400, host


def test_a_remote_host_is_accepted_only_by_its_name(runs_dir: Path) -> None:
    client = PageClient(create_app(runs_dir, host="192.168.1.20", port=8000))
    assert client.get("/", headers={"Host": "192.168.1.20:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "192.168.1.21:8000"}).status_code == 400


def test_every_response_carries_the_security_headers(client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    responses = [client.get(url) for url in ("/", f"/runs/{run_id}", f"/runs/{run_id}/status", "/static/app.js",
                                             "/template.xlsx", "/runs/20990101-000000-abcdef")]
    responses.append(client.get("/", headers={"Host": "evil.example"}))
    responses.append(FlaskClient(client.application).post("/upload", headers={"Origin": EVIL}))
    for response in responses:
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_the_session_cookie_is_strict_and_per_port(runs_dir: Path) -> None:
    client = FlaskClient(create_app(runs_dir, port=8123))
    cookie = client.get("/", headers={"Host": "127.0.0.1:8123"}).headers["Set-Cookie"]
    assert cookie.startswith("scheduler-session-8123=")
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie


def test_the_page_puts_its_token_in_every_form(client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    forms = page.count('method="post"')
    assert forms >= 3  # upload, start, stop, delete
    assert page.count('name="csrf_token"') == forms
