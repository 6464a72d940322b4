"""The capacity plan on the web page: the same sweep as `scheduler plan`,
started from an uploaded run through the page's forms (CSRF token and all)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from support.web import run_id_of, upload

from scheduler.plan.sweep import Cluster

FAST = Cluster(local_workers=1, processes=False)  # worker threads in the test process: quick to start


@pytest.fixture
def planned(app: Flask) -> Flask:
    app.extensions["scheduler.planner"].cluster = FAST
    return app


def wait_for_plan(client: FlaskClient, run_id: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        html = client.get(f"/runs/{run_id}").get_data(as_text=True)
        if 'data-plan-state="running"' not in html:
            return html
        time.sleep(0.2)
    raise AssertionError("the plan is still running")


def test_a_plan_from_the_page_offers_its_files(planned: Flask, client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert 'id="plan-form"' in page
    answer = client.post(f"/runs/{run_id}/plan", data={"tables": "1, 2", "seconds": "5"})
    assert answer.status_code == 303
    html = wait_for_plan(client, run_id)
    assert 'data-plan-state="done"' in html
    assert html.count('class="plan-line"') == 2
    assert "2 tables (20 min + 5, spare 0)" in html  # the recommendation
    page = client.get(f"/runs/{run_id}/plan/plan.html")
    assert page.status_code == 200 and "<svg" in page.get_data(as_text=True)
    assert "script-src" not in page.headers["Content-Security-Policy"]  # a page of its own, no script
    book = client.get(f"/runs/{run_id}/plan/plan.xlsx")
    assert book.status_code == 200
    sheet = openpyxl.load_workbook(__import__("io").BytesIO(book.data))["Scenarios"]
    assert [row[1].value for row in sheet.iter_rows(min_row=2)] == [1, 2]
    assert client.get(f"/runs/{run_id}/plan/best-schedule.xlsx").status_code == 200
    assert client.get(f"/runs/{run_id}/plan/..%2Fstatus.json").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"tables": "10,x"}, "Tables: not a whole number: &#39;x&#39;"),
        ({"seconds": "2"}, "between 5 and 600 seconds"),
        ({"tables": ",".join(map(str, range(1, 6))), "meeting_minutes": "15,20,25,30,40"}, "make 25 scenarios"),
    ],
)
def test_bad_plan_values_are_refused_with_a_message(planned: Flask, client: FlaskClient, tiny: Path,
                                                    fields: dict, message: str) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    answer = client.post(f"/runs/{run_id}/plan", data=fields)
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_a_plan_cannot_be_started_from_another_site(planned: Flask, client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    answer = client.post(f"/runs/{run_id}/plan", data={"tables": "1"}, headers={"Origin": "https://evil.example"})
    assert answer.status_code == 403
    assert 'data-plan-state' not in client.get(f"/runs/{run_id}").get_data(as_text=True)


def test_a_scenario_value_the_event_cannot_take_is_the_plan_s_message(planned: Flask, client: FlaskClient,
                                                                       tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    client.post(f"/runs/{run_id}/plan", data={"tables": "0"})
    html = wait_for_plan(client, run_id)
    assert 'data-plan-state="failed"' in html and "tables must be at least 1" in html
    assert re.search(r'id="plan-files"', html) is None
