"""The organizer's page in a real headless Chromium: upload, live progress, downloads.

Needs Debian's chromium (/usr/bin/chromium) and the ``playwright`` Python
package (its driver only: browsers are never downloaded); skipped otherwise.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from datetime import date
from datetime import time as clock
from pathlib import Path

import openpyxl
import pytest
from support.web import save

from scheduler.web.server import start

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")


def serve(runs: Path) -> Iterator[str]:
    """The page as ``scheduler serve`` runs it: waitress on loopback, a free port."""
    served = start(runs, "127.0.0.1", 0)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    yield served.url
    served.close()
    thread.join(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(tmp_path_factory.mktemp("web") / "runs")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scheduler.example import write_example

    return write_example(tmp_path_factory.mktemp("example") / "seus-cp-60.xlsx", attendees=60, seed=1)[0]


def no_requests_book(path: Path) -> Path:
    """A workbook without its Requests sheet."""
    return save({
        "Event": [["Setting", "Value"], ["Name", "Broken Fair"]],
        "Schedule": [["Date", "Start", "End", "Activity", "Label"],
                     [date(2017, 6, 5), clock(9), clock(10), "Meetings", "Morning"]],
        "Rooms": [["Room", "Use", "Capacity", "Tables"], ["Hall", "Meetings", None, 2]],
        "Attendees": [["Attendee", "Name", "Organization"], ["A1", "Ann Lee", "Acme"], ["A2", "Bob Roy", "Bolt"]],
    }, path)


def test_upload_solve_and_download(page, server: str, example: Path, tmp_path: Path) -> None:
    expect = sync_api.expect
    page.goto(server)
    expect(page.get_by_role("link", name="Download the template (.xlsx)")).to_be_visible()
    page.set_input_files("#workbooks", str(example))
    expect(page.locator("#chosen")).to_contain_text("seus-cp-60.xlsx")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{server}/runs/*")
    expect(page.locator("#summary")).to_contain_text("Attendees: 60 from")
    expect(page.locator("#state")).to_have_text("ready to optimize")

    page.evaluate("window.notReloaded = true")
    page.get_by_label("Time limit (seconds)").fill("5")
    page.get_by_role("button", name="Start optimization").click()
    expect(page.locator("#state")).to_have_text("optimizing")
    expect(page.locator("#progress")).to_be_visible()
    expect(page.locator("#p-elapsed")).not_to_have_text("–")
    expect(page.locator("#state")).to_have_text("done", timeout=240_000)
    assert page.evaluate("window.notReloaded") is True  # progress and results came by polling

    expect(page.locator("#p-phase")).to_have_text("tables")
    expect(page.locator("#lines")).to_contain_text("meetings")
    links = page.locator("#downloads a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    names = [h.rsplit("/", 1)[1] for h in hrefs]
    assert names == ["schedule.xlsx", "agendas.pdf", "calendars.zip", "report.html", "tables.pdf", "rooms.pdf"]
    with page.expect_download() as info:
        page.get_by_role("link", name="Schedule workbook (.xlsx)").click()
    saved = tmp_path / "schedule.xlsx"
    info.value.save_as(saved)
    assert "Meetings" in openpyxl.load_workbook(saved, read_only=True).sheetnames
    assert page.locator("#agenda option").count() == 60


def test_broken_workbook_lists_its_problems(page, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    page.goto(server)
    page.set_input_files("#workbooks", str(no_requests_book(tmp_path / "broken.xlsx")))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{server}/runs/*")
    expect(page.locator("#state")).to_have_text("has errors")
    table = page.get_by_role("table", name="Every problem found in the workbooks")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr").first).to_contain_text("broken.xlsx")
    expect(table).to_contain_text("Requests")
    expect(page.get_by_role("button", name="Start optimization")).to_have_count(0)


def test_dropped_workbook_is_uploaded(page, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    page.goto(server)
    data = base64.b64encode(no_requests_book(tmp_path / "dropped.xlsx").read_bytes()).decode()
    transfer = page.evaluate_handle("""(data) => {
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "dropped.xlsx"));
        return transfer;
    }""", data)
    page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
    expect(page.locator("#chosen")).to_contain_text("dropped.xlsx")
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{server}/runs/*")
    expect(page.locator("#problems")).to_contain_text("dropped.xlsx")


def test_wrong_files_are_caught_before_sending(page, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    csv = tmp_path / "attendees.csv"
    csv.write_text("Attendee,Name\nA1,Ann\n", encoding="utf-8")
    page.goto(server)
    page.set_input_files("#workbooks", str(csv))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#upload-message")).to_contain_text("Only .xlsx workbooks are accepted: attendees.csv")
    assert page.url.rstrip("/") == server
