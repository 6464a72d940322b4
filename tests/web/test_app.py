"""The organizer's web page through Flask's test client: uploads and their
problems, a whole run from upload to downloads, restarts, and the guards."""

from __future__ import annotations

import io
import json
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from support.web import (
    PageClient,
    run_id_of,
    save,
    start,
    status_file,
    text,
    tiny_book,
    upload,
    wait_done,
)

import scheduler.run
from scheduler.engine.solve import SolveError
from scheduler.web import runs, work
from scheduler.web.app import create_app

# ---------------------------------------------------------------- the page and the template


def test_index_offers_template_upload_and_empty_run_list(client: FlaskClient) -> None:
    page = text(client.get("/"))
    assert 'href="/template.xlsx"' in page
    assert re.search(r'<input type="file" id="workbooks" name="workbooks" multiple', page)
    assert '<label class="drop" id="drop" for="workbooks">' in page
    assert "No runs yet" in page


def test_template_download_is_the_blank_workbook(client: FlaskClient) -> None:
    response = client.get("/template.xlsx")
    assert response.status_code == 200
    assert "scheduler-template.xlsx" in response.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.data))
    assert {"Event", "Schedule", "Rooms", "Attendees", "Requests"} <= set(wb.sheetnames)


# ---------------------------------------------------------------- uploads


def test_valid_upload_shows_the_summary_and_is_stored(client: FlaskClient, runs_dir: Path, example: Path) -> None:
    response = upload(client, (example.read_bytes(), "SEUS-CP 2017.xlsx"))
    assert response.status_code == 200
    page = text(response)
    assert "What was read" in page
    assert "Attendees: 60 from" in page
    assert "Start optimization" in page
    run_id = run_id_of(response)
    status = status_file(runs_dir, run_id)
    assert status["state"] == "uploaded"
    assert status["files"] == [{"original": "SEUS-CP 2017.xlsx", "stored": "SEUS-CP_2017.xlsx",
                                "size": example.stat().st_size, "accepted": True}]
    assert (runs_dir / run_id / "inputs" / "SEUS-CP_2017.xlsx").read_bytes() == example.read_bytes()


def test_split_workbooks_are_read_together(client: FlaskClient, tmp_path: Path) -> None:
    book = tiny_book()
    registration = save({k: v for k, v in book.items() if k != "Requests"}, tmp_path / "reg.xlsx")
    requests = save({"Requests": book["Requests"]}, tmp_path / "req.xlsx")
    page = text(upload(client, (registration.read_bytes(), "reg.xlsx"), (requests.read_bytes(), "req.xlsx")))
    assert "Requests: 4 pairs to meet" in page


def test_missing_sheet_is_listed_with_the_file_name_as_uploaded(client: FlaskClient, runs_dir: Path,
                                                               tmp_path: Path) -> None:
    book = tiny_book()
    del book["Requests"]
    path = save(book, tmp_path / "broken.xlsx")
    response = upload(client, (path.read_bytes(), "Régistration 2017.xlsx"))
    assert response.status_code == 200
    page = text(response)
    assert '<table class="problems">' in page
    assert "Requests" in page
    assert "<td>Régistration 2017.xlsx</td>" in page  # not the stored name Registration_2017.xlsx
    assert "Start optimization" not in page
    status = status_file(runs_dir, run_id_of(response))
    assert status["state"] == "invalid"
    assert status["errors"] >= 1
    problems = [json.loads(line) for line in (runs_dir / run_id_of(response) / "problems.jsonl").open()]
    assert any("Requests" in p["text"] for p in problems)


def test_every_problem_is_listed_with_row_and_column(client: FlaskClient, tmp_path: Path) -> None:
    book = tiny_book()
    book["Requests"].append(["A1", "Z9", "High"])  # unknown attendee
    book["Requests"].append(["A2", "A3", "Urgent"])  # unknown priority
    page = text(upload(client, (save(book, tmp_path / "b.xlsx").read_bytes(), "b.xlsx")))
    rows = re.findall(r'<tr class="error">(.*?)</tr>', page, re.S)
    assert len(rows) >= 2
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    located = {(c[1], c[2], c[3]) for c in cells}
    assert ("b.xlsx", "Requests", "6") in located
    assert ("b.xlsx", "Requests", "7") in located
    assert any("Urgent" in c[6] for c in cells)


def test_csv_renamed_xlsx_is_refused_with_a_message(client: FlaskClient, runs_dir: Path) -> None:
    response = upload(client, (b"Attendee,Name\nA1,Ann\n", "attendees.xlsx"))
    assert response.status_code == 200
    page = text(response)
    assert "attendees.xlsx" in page
    assert "CSV" in page
    run_id = run_id_of(response)
    assert status_file(runs_dir, run_id)["state"] == "invalid"
    assert list((runs_dir / run_id / "inputs").iterdir()) == []  # a refused file is not kept


def test_other_extensions_are_refused(client: FlaskClient, tiny: Path) -> None:
    page = text(upload(client, (tiny.read_bytes(), "tiny.xls")))
    assert "the page takes .xlsx workbooks only (this file has .xls)" in page


def test_zip_without_content_types_is_refused(client: FlaskClient) -> None:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("hello.txt", "hello")
    page = text(upload(client, (data.getvalue(), "book.xlsx")))
    assert "no [Content_Types].xml" in page


def zip_bomb(size: int) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = bytes(1024 * 1024)
            for _ in range(size // len(block)):
                part.write(block)
    return data.getvalue()


def test_zip_bomb_is_refused(client: FlaskClient) -> None:
    bomb = zip_bomb(64 * 1024 * 1024)
    assert len(bomb) < 1024 * 1024
    page = text(upload(client, (bomb, "bomb.xlsx")))
    assert "refused as unsafe" in page
    assert "compressed" in page


def test_zip_bomb_is_refused_before_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
    (tmp_path / "bomb.xlsx").write_bytes(zip_bomb(64 * 1024 * 1024))
    result = work.check(str(tmp_path), [{"original": "bomb.xlsx", "stored": "bomb.xlsx"}], None)
    assert result["state"] == "invalid"
    assert "refused as unsafe" in result["problems"][0]["text"]
    assert opened == []
    assert not (tmp_path / "bomb.xlsx").exists()  # a refused file is not kept


def test_a_workbook_unpacking_past_the_limit_is_refused(app: Flask, client: FlaskClient, tiny: Path) -> None:
    # A real workbook is a few KB unpacked; with the limit below that it must be refused on size.
    app.extensions["scheduler.runs"].limits = work.Limits(max_uncompressed=2000)
    page = text(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    assert "over the 2 KB limit" in page


def test_damaged_zip_is_refused(client: FlaskClient, tiny: Path) -> None:
    data = bytearray(tiny.read_bytes())
    data[200:400] = bytes(200)  # inside the first part: the checksum no longer matches
    response = upload(client, (bytes(data), "tiny.xlsx"))
    assert response.status_code == 200
    assert "damaged" in text(response)


def test_formulas_without_cached_values_do_not_crash(client: FlaskClient, tmp_path: Path) -> None:
    book = tiny_book()
    book["Attendees"][1][1] = '="Ann"&" Lee"'  # openpyxl saves no cached value: the reader sees an empty cell
    book["Calc"] = [[f"=ROW()*{i}" for i in range(20)] for _ in range(500)]
    response = upload(client, (save(book, tmp_path / "f.xlsx").read_bytes(), "f.xlsx"))
    assert response.status_code == 200
    assert "Attendees" in text(response)


def test_no_file_chosen_gives_a_message(client: FlaskClient) -> None:
    response = client.post("/upload", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose one or more .xlsx workbooks" in text(response)


def test_too_large_upload_gives_a_message(app: Flask, client: FlaskClient, tiny: Path) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/upload", data={"workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")]},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "The upload is larger than" in text(response)


def test_posts_from_another_site_are_refused(client: FlaskClient, tiny: Path) -> None:
    response = client.post("/upload", data={"workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")]},
                           content_type="multipart/form-data", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert "another web site" in text(response)


# ---------------------------------------------------------------- a whole run


def test_run_from_upload_to_downloads(client: FlaskClient, runs_dir: Path, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    assert start(client, run_id).get_json() == {"ok": True, "error": None}
    status = wait_done(client, run_id)
    assert status["state"] == "done", status
    assert status["progress"]["placed"] == 4
    assert any(line.startswith("4 meetings") for line in status["lines"])
    assert status["exit_code"] == 0

    page = text(client.get(f"/runs/{run_id}"))
    assert "Optimize again" in page
    for name in ("schedule.xlsx", "agendas.pdf", "calendars.zip", "report.html", "tables.pdf", "rooms.pdf"):
        assert f'href="/runs/{run_id}/files/{name}"' in page, name

    schedule = openpyxl.load_workbook(io.BytesIO(client.get(f"/runs/{run_id}/files/schedule.xlsx").data))
    assert schedule["Meetings"].max_row == 5  # header + 4 meetings
    for name in ("agendas.pdf", "tables.pdf", "rooms.pdf"):
        assert client.get(f"/runs/{run_id}/files/{name}").data.startswith(b"%PDF"), name
    report = client.get(f"/runs/{run_id}/files/report.html")
    assert report.mimetype == "text/html"
    assert "attachment" not in report.headers.get("Content-Disposition", "")
    calendars = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run_id}/files/calendars.zip").data))
    ics = [n for n in calendars.namelist() if n.endswith(".ics")]
    assert len(ics) >= 4
    assert all(n.startswith("calendars/") for n in calendars.namelist())
    assert b"BEGIN:VCALENDAR" in calendars.read(ics[0])

    labels = [a["label"] for a in status["agendas"]]
    assert labels == ["Ann Lee (Acme)", "Bob Roy (Bolt)", "Cy Tan (Cog)", "Di Fox (Dyn)"]
    assert '<option value="' in page and "Ann Lee (Acme)" in page
    agenda = client.get(status["agendas"][0]["url"])
    assert agenda.mimetype == "application/pdf"
    assert agenda.data.startswith(b"%PDF")


def test_two_runs_at_once_keep_their_own_files(client: FlaskClient, runs_dir: Path, tmp_path: Path) -> None:
    first = run_id_of(upload(client, (save(tiny_book("First Fair"), tmp_path / "a.xlsx").read_bytes(), "a.xlsx")))
    book = tiny_book("Second Fair")
    book["Attendees"][1][1] = "Ann Second"
    second = run_id_of(upload(client, (save(book, tmp_path / "b.xlsx").read_bytes(), "b.xlsx")))
    assert first != second
    start(client, first)
    start(client, second)
    for run_id, name, other in ((first, "Ann Lee", "Ann Second"), (second, "Ann Second", "Ann Lee")):
        assert wait_done(client, run_id)["state"] == "done"
        schedule = openpyxl.load_workbook(io.BytesIO(client.get(f"/runs/{run_id}/files/schedule.xlsx").data))
        names = {cell for row in schedule["Meetings"].iter_rows(min_row=2, values_only=True) for cell in row}
        assert (name in names) and (other not in names)
    page = text(client.get("/"))
    assert page.index("Second Fair") < page.index("First Fair")  # most recent first


def test_time_limit_is_bounded(client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    for bad in ("2", "3601", "soon", "nan"):
        answer = start(client, run_id, bad)
        assert answer.status_code == 400
        assert "time limit" in answer.get_json()["error"]
    page = client.post(f"/runs/{run_id}/start", data={"time_limit": "1"})  # the form without JavaScript
    assert page.status_code == 400
    assert "between 5 and 3600 seconds" in text(page)
    assert client.get(f"/runs/{run_id}/status").get_json()["state"] == "uploaded"


def test_an_invalid_run_cannot_start(client: FlaskClient) -> None:
    run_id = run_id_of(upload(client, (b"not a workbook", "x.xlsx")))
    answer = start(client, run_id)
    assert answer.status_code == 400
    assert "fix them" in answer.get_json()["error"]


def test_solve_error_reasons_are_shown(client: FlaskClient, tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def cannot(*args, **kwargs):
        raise SolveError(["Fixed meeting A1 – A2 on 2017-06-05 09:00: A2 is not present then."])

    monkeypatch.setattr(scheduler.run, "run_solve", cannot)
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, run_id)
    status = wait_done(client, run_id)
    assert status["state"] == "failed"
    assert status["reasons"] == ["Fixed meeting A1 – A2 on 2017-06-05 09:00: A2 is not present then."]
    page = text(client.get(f"/runs/{run_id}"))
    assert "The event cannot be scheduled as given" in page
    assert "A2 is not present then." in page


def test_internal_errors_give_a_message_not_a_traceback(client: FlaskClient, tiny: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args, **kwargs):
        raise KeyError("secret internals")

    monkeypatch.setattr(scheduler.run, "run_solve", broken)
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, run_id)
    assert wait_done(client, run_id)["state"] == "failed"
    page = text(client.get(f"/runs/{run_id}"))
    assert "internal error" in page
    assert "Traceback" not in page and "secret internals" not in page
    assert "secret internals" in caplog.text  # the log has the details


def test_stop_keeps_the_best_so_far(client: FlaskClient, tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = {}

    def patient(event, options, out, *, stop, progress, keep_best_on_interrupt, **kwargs):
        seen.update(limit=options.time_limit, workers=options.workers, keep=keep_best_on_interrupt)
        assert stop.wait(20)
        return scheduler.run.Outcome(0, ["Stopped early: best so far kept."])

    monkeypatch.setattr(scheduler.run, "run_solve", patient)
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, run_id, "600")
    assert start(client, run_id).get_json()["error"].startswith("This run is already going")
    assert client.post(f"/runs/{run_id}/stop", headers={"Accept": "application/json"}).get_json()["ok"]
    status = wait_done(client, run_id)
    assert status["state"] == "done"
    assert status["lines"] == ["Stopped early: best so far kept."]
    assert seen == {"limit": 600.0, "workers": 2, "keep": True}


# ---------------------------------------------------------------- restarts and safety


def test_runs_survive_a_restart(runs_dir: Path, tiny: Path, tmp_path: Path) -> None:
    client = PageClient(create_app(runs_dir))
    done = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, done)
    assert wait_done(client, done)["state"] == "done"
    # A run the server was solving when it died: its status says running.
    cut = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    client.application.extensions["scheduler.runs"].update(cut, state="running")

    again = create_app(runs_dir).test_client()
    page = text(again.get("/"))
    assert f'href="/runs/{done}"' in page and f'href="/runs/{cut}"' in page
    assert "failed: interrupted by a restart" in page
    assert status_file(runs_dir, cut)["state"] == "failed"
    assert again.get(f"/runs/{done}/status").get_json()["state"] == "done"
    assert again.get(f"/runs/{done}/files/schedule.xlsx").status_code == 200


def fake_done(runs_dir: Path, run_id: str) -> Path:
    """Mark a run done with a few output files, without solving (tests of the web layer only)."""
    out = runs_dir / run_id / "outputs"
    (out / "agendas").mkdir(parents=True)
    (out / "calendars" / "team").mkdir(parents=True)
    (out / "schedule.xlsx").write_bytes(b"PK fake")
    (out / "agendas" / "a1.pdf").write_bytes(b"%PDF a1")
    (out / "calendars" / "a1.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    (out / "calendars" / "team" / "t1.ics").write_text("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    status = status_file(runs_dir, run_id)
    status.update(state="done", outputs="outputs", agendas=[{"file": "a1.pdf", "label": "Ann Lee (Acme)"}])
    (runs_dir / run_id / "status.json").write_text(json.dumps(status), encoding="utf-8")
    return out


def test_done_run_offers_what_it_has(client: FlaskClient, runs_dir: Path, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    fake_done(runs_dir, run_id)
    page = text(client.get(f"/runs/{run_id}"))
    assert f'href="/runs/{run_id}/files/schedule.xlsx"' in page
    assert "Room sheets for the venue staff (PDF) — not produced by this run" in page
    assert client.get(f"/runs/{run_id}/files/rooms.pdf").status_code == 404
    download = client.get(f"/runs/{run_id}/files/schedule.xlsx")
    assert download.data == b"PK fake"
    assert "attachment" in download.headers["Content-Disposition"]
    calendars = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run_id}/files/calendars.zip").data))
    assert sorted(calendars.namelist()) == ["calendars/a1.ics", "calendars/team/t1.ics"]
    agenda = client.get(f"/runs/{run_id}/agenda?file=a1.pdf")
    assert (agenda.data, agenda.mimetype) == (b"%PDF a1", "application/pdf")
    assert '<option value="a1.pdf">Ann Lee (Acme)</option>' in page


def test_unknown_runs_and_paths_outside_the_run_are_not_served(client: FlaskClient, runs_dir: Path,
                                                                tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    fake_done(runs_dir, run_id)
    (runs_dir / "secret.pdf").write_bytes(b"%PDF secret")
    for url in ("/runs/20990101-000000-abcdef", "/runs/..%2F..%2Fetc", "/runs/not-a-run/status",
                f"/runs/{run_id}/files/status.json", f"/runs/{run_id}/files/..%2Fstatus.json",
                f"/runs/{run_id}/agenda?file=../../../secret.pdf", f"/runs/{run_id}/agenda?file=../status.json",
                f"/runs/{run_id}/agenda?file=/etc/passwd"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"secret" not in response.data
    assert "There is no such run" in text(client.get("/runs/20990101-000000-abcdef"))


def test_downloads_wait_for_the_run_to_finish(client: FlaskClient, tiny: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    assert client.get(f"/runs/{run_id}/files/schedule.xlsx").status_code == 404
    assert "downloads-box\" hidden" in text(client.get(f"/runs/{run_id}"))


def test_status_writes_are_atomic_under_concurrent_updates(runs_dir: Path, tiny: Path) -> None:
    store = runs.RunStore(runs_dir)
    with tiny.open("rb") as f:
        run_id = store.create([("tiny.xlsx", f)])

    def bump(key: str) -> None:
        for i in range(50):
            store.update(run_id, **{key: i})

    threads = [threading.Thread(target=bump, args=(f"k{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    status = store.status(run_id)
    assert [status[f"k{n}"] for n in range(4)] == [49] * 4
    assert [p.name for p in (runs_dir / run_id).iterdir() if p.name.startswith(".status-")] == []


def test_progress_is_written_at_each_phase_but_not_at_every_report(runs_dir: Path, tiny: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from scheduler.engine.solve import Progress

    store = runs.RunStore(runs_dir)
    with tiny.open("rb") as f:
        run_id = store.create([("tiny.xlsx", f)])
    writes = []
    real_update = store.update
    monkeypatch.setattr(store, "update", lambda rid, **changes: writes.append(changes) or real_update(rid, **changes))
    writer = runs.ProgressWriter(store, run_id)
    for placed in range(200):
        writer(Progress("construct", placed, float(placed), 300.0, 1.0))
    writer(Progress("improve", 199, 250.0, 300.0, 2.0))
    assert 2 <= len(writes) <= 4  # the first of each phase, and maybe one after half a second
    assert store.status(run_id)["progress"]["phase"] == "improve"
    assert writer.latest == {"phase": "improve", "placed": 199, "score": 250.0, "bound": 300.0,
                             "gap": pytest.approx(50 / 300), "elapsed": 2.0}


def malformed_xml(path: Path, cells: int = 100_000) -> Path:
    """Issue 12's 22 KB upload: the Attendees sheet XML opens 100,000 cells and never
    closes them (the old reader took minutes over it, inside the upload request)."""
    source = zipfile.ZipFile(save(tiny_book(), path.with_suffix(".tmp")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet4.xml":  # Attendees
                head = data.partition(b"<sheetData>")[0]
                data = head + b'<sheetData><row r="1">' + b"<c>" * cells + b"<v>1</v></row></sheetData></worksheet>"
            archive.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def test_malformed_sheet_xml_is_refused_with_a_located_message(client: FlaskClient, runs_dir: Path,
                                                               tmp_path: Path) -> None:
    book = malformed_xml(tmp_path / "malformed.xlsx")
    assert book.stat().st_size < 30_000
    response = upload(client, (book.read_bytes(), "registration.xlsx"))
    status = status_file(runs_dir, run_id_of(response))
    assert status["state"] == "invalid"
    page = text(response)
    assert "registration.xlsx" in page and "Attendees" in page
    assert "Start optimization" not in page


# ---------------------------------------------------------------- language


def test_the_page_follows_the_browsers_language(client: FlaskClient) -> None:
    french = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="fr">' in french and "Téléverser les classeurs" in french
    assert "Upload the workbooks" not in french
    english = client.get("/", headers={"Accept-Language": "de-DE,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="en">' in english and "Upload the workbooks" in english
    assert "Upload the workbooks" in client.get("/").get_data(as_text=True)  # no header: English


def test_the_run_says_who_got_french_agendas(client: FlaskClient, tmp_path: Path) -> None:
    book = tiny_book()
    book["Attendees"][0].append("Languages")
    book["Attendees"][2].append("French")  # Bob Roy speaks French only
    run_id = run_id_of(upload(client, (save(book, tmp_path / "fr.xlsx").read_bytes(), "fr.xlsx")))
    start(client, run_id)
    status = wait_done(client, run_id)
    assert "1 attendee got French agendas and calendars: Bob Roy." in status["lines"]
    assert [a["label"] for a in status["agendas"]][1] == "Bob Roy (Bolt) [FR]"
    page = client.get(f"/runs/{run_id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Bob Roy (Bolt) [FR]" in page and "Optimiser de nouveau" in page


# ---------------------------------------------------------------- symlinks, re-runs, lists, quotas


def test_symlinks_out_of_the_run_folder_are_not_served(client: FlaskClient, runs_dir: Path, tiny: Path,
                                                       tmp_path: Path) -> None:
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    out = fake_done(runs_dir, run_id)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.pdf").write_bytes(b"%PDF secret")
    (secret / "x.ics").write_text("BEGIN:VCALENDAR secret")
    (out / "schedule.xlsx").unlink()
    (out / "schedule.xlsx").symlink_to(secret / "passwords.pdf")
    (out / "agendas" / "evil.pdf").symlink_to(secret / "passwords.pdf")
    (out / "calendars" / "evil.ics").symlink_to(secret / "x.ics")
    (out / "calendars" / "linked").symlink_to(secret, target_is_directory=True)
    (out / "tables.pdf").symlink_to(runs_dir / run_id / "inputs" / "tiny.xlsx")  # inside the run: allowed
    assert client.get(f"/runs/{run_id}/files/schedule.xlsx").status_code == 404
    assert client.get(f"/runs/{run_id}/agenda?file=evil.pdf").status_code == 404
    calendars = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{run_id}/files/calendars.zip").data))
    assert sorted(calendars.namelist()) == ["calendars/a1.ics", "calendars/team/t1.ics"]
    assert client.get(f"/runs/{run_id}/files/tables.pdf").data == tiny.read_bytes()
    # The whole outputs folder a link to elsewhere: nothing from it.
    shutil.rmtree(out)
    out.symlink_to(secret, target_is_directory=True)
    (secret / "schedule.xlsx").write_bytes(b"PK secret")
    for url in (f"/runs/{run_id}/files/schedule.xlsx", f"/runs/{run_id}/agenda?file=passwords.pdf"):
        assert client.get(url).status_code == 404, url
    assert "Schedule workbook (.xlsx) — not produced by this run" in text(client.get(f"/runs/{run_id}"))


def fake_solver(monkeypatch: pytest.MonkeyPatch) -> dict:
    """run_solve replaced by one the test steers: it waits for ``go``, then writes ``files``
    (name -> bytes) into the run's new folder and returns ``code``."""
    steer = {"go": threading.Event(), "files": {}, "code": 0}

    def solve(event, options, out, **kwargs):
        assert steer["go"].wait(30)
        steer["go"].clear()
        for name, data in steer["files"].items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(data)
        return scheduler.run.Outcome(steer["code"], [f"exit {steer['code']}"])

    monkeypatch.setattr(scheduler.run, "run_solve", solve)
    return steer


def test_a_re_run_keeps_the_last_outputs_until_it_succeeds(client: FlaskClient, runs_dir: Path, tiny: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    steer = fake_solver(monkeypatch)
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    steer.update(files={"schedule.xlsx": b"first", "rooms.pdf": b"%PDF first rooms"})
    start(client, run_id)
    steer["go"].set()
    assert wait_done(client, run_id)["state"] == "done"

    def schedule() -> tuple[int, bytes]:
        response = client.get(f"/runs/{run_id}/files/schedule.xlsx")
        return response.status_code, response.data

    start(client, run_id)  # a re-run: while it goes, the first run's files stay
    assert client.get(f"/runs/{run_id}/status").get_json()["state"] == "running"
    assert schedule() == (200, b"first")
    assert client.get(f"/runs/{run_id}/status").get_json()["has_outputs"]
    steer.update(files={"schedule.xlsx": b"half"}, code=1)  # the re-run fails after writing something
    steer["go"].set()
    assert wait_done(client, run_id)["state"] == "failed"
    assert schedule() == (200, b"first")
    page = text(client.get(f"/runs/{run_id}"))
    assert f'href="/runs/{run_id}/files/rooms.pdf"' in page

    again = create_app(runs_dir).test_client()  # and after a restart
    assert again.get(f"/runs/{run_id}/files/schedule.xlsx").data == b"first"

    steer.update(files={"schedule.xlsx": b"second"}, code=0)
    start(client, run_id)
    steer["go"].set()
    assert wait_done(client, run_id)["state"] == "done"
    assert schedule() == (200, b"second")
    assert client.get(f"/runs/{run_id}/files/rooms.pdf").status_code == 404  # replaced whole
    assert [p.name for p in (runs_dir / run_id).iterdir() if p.name.startswith("outputs")] == ["outputs-3"]


def test_the_run_list_reads_the_index_not_every_status(client: FlaskClient, runs_dir: Path, tiny: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ids = [run_id_of(upload(client, (tiny.read_bytes(), f"tiny-{n}.xlsx"))) for n in range(3)]
    store = client.application.extensions["scheduler.runs"]
    opened = []
    real_status = store.status
    monkeypatch.setattr(store, "status", lambda run_id: opened.append(run_id) or real_status(run_id))
    page = text(client.get("/"))
    assert all(f'href="/runs/{run_id}"' in page for run_id in ids)
    assert "tiny-2.xlsx" in page and "Tiny Fair" in page
    assert opened == []
    index = json.loads((runs_dir / "index.json").read_text(encoding="utf-8"))
    assert sorted(index) == sorted(ids)
    (runs_dir / "index.json").unlink()  # lost: rebuilt from the statuses once
    assert sorted(r["id"] for r in runs.RunStore(runs_dir).runs()) == sorted(ids)


def test_long_problem_lists_come_a_page_at_a_time(client: FlaskClient, tmp_path: Path) -> None:
    book = tiny_book()
    book["Requests"] += [["A1", f"Z{n}", "High"] for n in range(250)]  # 250 unknown attendees
    response = upload(client, (save(book, tmp_path / "many.xlsx").read_bytes(), "many.xlsx"))
    run_id = run_id_of(response)
    first = text(response)
    assert "250 problems to fix" in first
    assert first.count('<tr class="error">') == 100
    assert "Page 1 of 3" in first and 'href="?page=2"' in first
    last = text(client.get(f"/runs/{run_id}?page=3"))
    assert last.count('<tr class="error">') == 50
    assert "Z249" in last and "Z0)" not in last
    assert text(client.get(f"/runs/{run_id}?page=x")).count('<tr class="error">') == 100


def test_quotas_refuse_with_a_message(client: FlaskClient, runs_dir: Path, tiny: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    upload(client, (tiny.read_bytes(), "tiny.xlsx"))
    monkeypatch.setattr(runs, "MAX_RUNS", 1)
    data = {"workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")]}
    response = client.post("/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Delete old runs" in text(response)
    monkeypatch.setattr(runs, "MAX_RUNS", 10)
    monkeypatch.setattr(runs, "MAX_STORED", tiny.stat().st_size)
    data = {"workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")]}
    response = client.post("/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "of workbooks, the most this page keeps" in text(response)
    assert len([p for p in runs_dir.iterdir() if p.is_dir()]) == 1


def test_a_run_can_be_deleted_but_not_while_it_goes(client: FlaskClient, runs_dir: Path, tiny: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    steer = fake_solver(monkeypatch)
    run_id = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, run_id)
    refused = client.post(f"/runs/{run_id}/delete", data={})
    assert refused.status_code == 400 and "stop it first" in text(refused)
    steer["go"].set()
    wait_done(client, run_id)
    response = client.post(f"/runs/{run_id}/delete", data={})
    assert response.status_code == 303
    assert not (runs_dir / run_id).exists()
    assert run_id not in text(client.get("/"))
    assert client.get(f"/runs/{run_id}").status_code == 404


# ---------------------------------------------------------------- re-solve after changes


def test_re_solve_from_a_finished_run(client: FlaskClient, runs_dir: Path, tiny: Path, tmp_path: Path) -> None:
    first = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, first)
    assert wait_done(client, first)["state"] == "done"
    page = text(client.get(f"/runs/{first}"))
    assert f'href="/?previous={first}#resolve"' in page
    assert f'<option value="{first}" selected>' in text(client.get(f"/?previous={first}"))

    changed = tiny_book()
    changed["Requests"] = [r for r in changed["Requests"] if r[:2] != ["A1", "A3"]] + [["A1", "A4", "High"]]
    response = upload(client, (save(changed, tmp_path / "changed.xlsx").read_bytes(), "changed.xlsx"),
                      previous_run=first)
    second = run_id_of(response)
    assert f"Re-solve keeping the schedule of Tiny Fair, run {first}." in text(response)
    start(client, second)
    status = wait_done(client, second)
    assert status["state"] == "done", status
    assert any(line.startswith("Kept ") for line in status["lines"])
    available = {d["name"] for d in status["downloads"] if d["available"]}
    assert {"changes.xlsx", "agendas-changed.pdf", "calendars-changed.zip"} <= available
    changes = openpyxl.load_workbook(io.BytesIO(client.get(f"/runs/{second}/files/changes.xlsx").data))
    changed_people = {row[0] for row in changes["Changes"].iter_rows(min_row=2, values_only=True)}
    assert {"A1", "A4"} <= changed_people  # their new meeting
    assert client.get(f"/runs/{second}/files/agendas-changed.pdf").data.startswith(b"%PDF")
    zipped = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{second}/files/calendars-changed.zip").data))
    assert zipped.namelist() and all(n.startswith("calendars-changed/") for n in zipped.namelist())
    # Changed calendars keep the event IDs of the calendars sent before.
    before = zipfile.ZipFile(io.BytesIO(client.get(f"/runs/{first}/files/calendars.zip").data))
    uids = {n.rsplit("/", 1)[1]: set(re.findall(rb"UID:(\S+)", before.read(n))) for n in before.namelist()}
    for name in zipped.namelist():
        again = set(re.findall(rb"UID:(\S+)", zipped.read(name)))
        assert again and uids[name.rsplit("/", 1)[1]] <= again, name
    # The first run's files are untouched.
    assert client.get(f"/runs/{first}/files/schedule.xlsx").status_code == 200
    assert "changes.xlsx" not in {d["name"] for d in wait_done(client, first)["downloads"]}


def test_re_solve_from_an_uploaded_schedule(client: FlaskClient, tiny: Path, tmp_path: Path) -> None:
    first = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, first)
    wait_done(client, first)
    edited = client.get(f"/runs/{first}/files/schedule.xlsx").data
    response = upload(client, (tiny.read_bytes(), "tiny.xlsx"),
                      previous_schedule=(io.BytesIO(edited), "published schedule.xlsx"))
    assert "Re-solve keeping published schedule.xlsx (uploaded)." in text(response)
    second = run_id_of(response)
    start(client, second)
    status = wait_done(client, second)
    assert status["state"] == "done"
    assert any("Kept 4 of 4 previous meetings" in line for line in status["lines"])


def test_a_bad_previous_schedule_is_listed_before_solving(client: FlaskClient, tiny: Path) -> None:
    response = upload(client, (tiny.read_bytes(), "tiny.xlsx"),
                      previous_schedule=(io.BytesIO(b"not a workbook"), "old schedule.xlsx"))
    assert "old schedule.xlsx" in text(response)
    assert client.get(f"/runs/{run_id_of(response)}/status").get_json()["state"] == "invalid"
    both = client.post("/upload", content_type="multipart/form-data", data={
        "workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")], "previous_run": "20990101-000000-abcdef",
        "previous_schedule": (io.BytesIO(b"x"), "s.xlsx")})
    assert both.status_code == 400 and "not both" in text(both)
    gone = client.post("/upload", content_type="multipart/form-data", data={
        "workbooks": [(io.BytesIO(tiny.read_bytes()), "tiny.xlsx")], "previous_run": "20990101-000000-abcdef"})
    assert gone.status_code == 400 and "has no schedule" in text(gone)


def test_a_previous_schedule_of_other_people_is_refused_at_upload(client: FlaskClient, tiny: Path,
                                                                   tmp_path: Path) -> None:
    first = run_id_of(upload(client, (tiny.read_bytes(), "tiny.xlsx")))
    start(client, first)
    wait_done(client, first)
    other = tiny_book()
    other["Attendees"][1][1] = "Zed Other"  # A1 is now someone else
    response = upload(client, (save(other, tmp_path / "other.xlsx").read_bytes(), "other.xlsx"), previous_run=first)
    page = text(response)
    assert client.get(f"/runs/{run_id_of(response)}/status").get_json()["state"] == "invalid"
    assert "A1" in page and "Zed Other" in page and "Ann Lee" in page


def test_a_read_cut_short_by_a_stop_is_done_again_at_the_next_start(runs_dir: Path, tiny: Path) -> None:
    from support.web import hog

    store = runs.RunStore(runs_dir)
    store.check_job = hog  # a read that would take ages
    with tiny.open("rb") as f:
        run_id = store.create([("tiny.xlsx", f)])
    for _ in range(300):
        if store._live:
            break
        time.sleep(0.05)
    assert store._live, "the read never started"
    store.close()  # the server stops: the reading process is killed at once
    for _ in range(300):
        if not store._live:
            break
        time.sleep(0.05)
    assert not store._live
    assert store.status(run_id)["state"] == "checking"
    again = runs.RunStore(runs_dir)  # the next start reads it again, with the real reader
    for _ in range(600):
        if again.status(run_id)["state"] != "checking":
            break
        time.sleep(0.1)
    assert again.status(run_id)["state"] == "uploaded"
