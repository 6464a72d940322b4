"""The organizer's page in a real headless Chromium: upload, live progress, downloads,
re-solve after changes, and a page on another origin that tries to start a run.

Needs Debian's chromium (/usr/bin/chromium) and the ``playwright`` Python
package (its driver only: browsers are never downloaded). Skipped where they
are missing, except in CI (CI=true), where .ci/run installs chromium and a
missing browser is a failure.
"""

from __future__ import annotations

import base64
import http.server
import os
import threading
from collections.abc import Iterator
from datetime import date
from datetime import time as clock
from pathlib import Path

import openpyxl
import pytest
from support.web import save, tiny_book

from scheduler.web.server import start

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

IN_CI = os.environ.get("CI", "").casefold() in ("1", "true", "yes")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists() and not IN_CI, reason="needs /usr/bin/chromium (apt-get install chromium)"),
]
if IN_CI:
    import playwright.sync_api as sync_api  # CI installs it with the dev dependencies: never skip there
else:
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


def upload_in_page(page, server: str, path: Path) -> str:
    """Upload one workbook through the page's own form; the new run's id once it is checked."""
    expect = sync_api.expect
    page.set_input_files("#workbooks", str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(f"{server}/runs/*")
    expect(page.locator("#state")).not_to_have_text("checking the workbooks")
    return page.url.rsplit("/", 1)[1]


def optimize_in_page(page) -> None:
    expect = sync_api.expect
    page.get_by_label("Time limit (seconds)").fill("5")
    page.locator("#start").click()
    expect(page.locator("#state")).to_have_text("done", timeout=240_000)


def test_re_solve_after_changes(page, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    page.goto(server)
    first = upload_in_page(page, server, save(tiny_book("Re-solve Fair"), tmp_path / "fair.xlsx"))
    optimize_in_page(page)

    page.get_by_role("link", name="Re-solve after changes…").click()
    expect(page.locator("#resolve")).to_have_attribute("open", "")
    expect(page.locator("#previous_run")).to_have_value(first)
    changed = tiny_book("Re-solve Fair")
    changed["Requests"].append(["A1", "A4", "High"])
    second = upload_in_page(page, server, save(changed, tmp_path / "fair-v2.xlsx"))
    assert second != first
    expect(page.locator("#previous")).to_contain_text(f"Re-solve keeping the schedule of Re-solve Fair, run {first}")
    optimize_in_page(page)
    expect(page.locator("#lines")).to_contain_text("Kept")

    for label, name in (("What changed, attendee by attendee (.xlsx)", "changes.xlsx"),
                        ("Only the agendas that changed, to reprint (PDF)", "agendas-changed.pdf"),
                        ("Only the calendar files that changed, to send again (.zip)", "calendars-changed.zip")):
        with page.expect_download() as info:
            page.get_by_role("link", name=label).click()
        saved = tmp_path / name
        info.value.save_as(saved)
        assert info.value.suggested_filename == name
        assert saved.stat().st_size > 0
    changes = openpyxl.load_workbook(tmp_path / "changes.xlsx", read_only=True)
    assert "Changes" in changes.sheetnames


EVIL_PAGE = """<!doctype html><title>A page on another origin</title>
<form id="f" method="post" action="{target}/start" target="sink"><input name="time_limit" value="3600"></form>
<iframe name="sink"></iframe>
<iframe sandbox="allow-forms allow-scripts" srcdoc='<form method="post" action="{target}/start">
  <input name="time_limit" value="3600"></form><script>document.forms[0].submit()</script>'></iframe>
<script>
fetch("{target}/start", {{method: "POST", mode: "no-cors", credentials: "include",
                          body: new URLSearchParams({{time_limit: "3600"}})}})
  .finally(() => document.getElementById("f").submit());
</script>"""


@pytest.fixture
def other_origin() -> Iterator[tuple[str, dict]]:
    """A second web server on loopback, another port: another origin, the same site for cookies."""
    pages: dict[str, bytes] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", pages
    httpd.shutdown()
    thread.join(10)


def test_a_page_on_another_origin_cannot_start_a_run(page, server: str, other_origin, tmp_path: Path,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    expect = sync_api.expect
    page.goto(server)  # the organizer has the page open: its session cookie is in the browser
    run_id = upload_in_page(page, server, save(tiny_book(), tmp_path / "fair.xlsx"))
    expect(page.locator("#state")).to_have_text("ready to optimize")

    evil, pages = other_origin
    pages["/"] = EVIL_PAGE.format(target=f"{server}/runs/{run_id}").encode()
    caplog.set_level("WARNING", logger="scheduler.web.guard")

    def refusals() -> list[str]:
        return [r.getMessage() for r in caplog.records if f"/runs/{run_id}/start" in r.getMessage()]

    page.goto(evil)
    for _ in range(150):  # the fetch, the form, the form in a sandboxed frame: all sent, all refused
        if len(refusals()) >= 3:
            break
        page.wait_for_timeout(200)
    origins = sorted(m.split("Origin: ")[1].split(",")[0] for m in refusals())
    assert origins == sorted([evil, evil, "null"]), refusals()

    page.goto(f"{server}/runs/{run_id}")
    expect(page.locator("#state")).to_have_text("ready to optimize")
