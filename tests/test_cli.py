"""The command line as a planner uses it: exit codes, located messages, nothing
written on failure, verify on every schedule."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from scheduler import cli
from scheduler.example import write_example


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example(tmp_path_factory.mktemp("in") / "small.xlsx", attendees=40, seed=3)[0]


@pytest.fixture(scope="module")
def solved(small: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(
        cli.main, ["solve", str(small), "-o", str(out), "--time-limit", "5", "--quiet", "--no-documents"]
    )
    assert result.exit_code == 0, result.output
    return out / "schedule.xlsx"


def run(*args: str):
    return CliRunner().invoke(cli.main, list(args))


def test_validate_prints_a_summary(small: Path):
    result = run("validate", str(small))
    assert result.exit_code == 0
    assert "Attendees: 40" in result.output and "OK: no errors." in result.output


def test_bad_input_exits_2_with_located_messages_and_writes_nothing(small: Path, tmp_path: Path):
    broken = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(small)
    wb["Requests"]["C2"] = "urgent"
    del wb["Rooms"]
    wb.save(broken)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("published agendas")
    result = run("solve", str(broken), "-o", str(out), "--quiet")
    assert result.exit_code == 2
    assert "broken.xlsx › Requests › row 2 › Priority" in result.output
    assert "Rooms" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_solve_writes_a_schedule_that_verify_accepts(small: Path, solved: Path):
    wb = openpyxl.load_workbook(solved, read_only=True)
    assert {"Meetings", "Sessions", "Unscheduled", "Attendees", "Summary"} <= set(wb.sheetnames)
    result = run("verify", str(small), "--schedule", str(solved))
    assert result.exit_code == 0, result.output


def test_verify_names_the_row_of_a_bad_hand_edit(small: Path, solved: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(solved)
    ws = wb["Meetings"]
    header = [c.value for c in ws[1]]
    a, b = header.index("Attendee A") + 1, header.index("Attendee B") + 1
    ws.cell(3, a).value = ws.cell(2, a).value  # one attendee in two places...
    ws.cell(3, 1 + header.index("Start")).value = ws.cell(2, 1 + header.index("Start")).value
    ws.cell(3, 1 + header.index("Date")).value = ws.cell(2, 1 + header.index("Date")).value
    if ws.cell(3, b).value == ws.cell(3, a).value:
        ws.cell(3, b).value = ws.cell(4, b).value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    result = run("verify", str(small), "--schedule", str(edited))
    assert result.exit_code == 2
    assert "edited.xlsx › Meetings › row 3" in result.output


def test_internal_errors_show_no_traceback_unless_debug(small: Path, monkeypatch: pytest.MonkeyPatch):
    import scheduler.run

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(scheduler.run, "run_solve", boom)
    result = run("solve", str(small), "--quiet")
    assert result.exit_code == 1
    assert "internal error: RuntimeError: disk on fire" in result.output
    assert "Traceback" not in result.output
    debug = run("--debug", "solve", str(small), "--quiet")
    assert isinstance(debug.exception, RuntimeError)


def test_template_reads_back_with_only_empty_sheet_problems(tmp_path: Path):
    path = tmp_path / "blank.xlsx"
    assert run("template", str(path)).exit_code == 0
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_template_and_forms_never_replace_a_workbook_unless_forced(small: Path, tmp_path: Path):
    path = tmp_path / "filled.xlsx"
    path.write_bytes(small.read_bytes())
    refused = run("template", str(path))
    assert refused.exit_code == 2 and "already exists" in refused.output
    assert path.read_bytes() == small.read_bytes()
    assert run("template", str(path), "--force").exit_code == 0
    assert run("template", str(tmp_path / "t.csv")).exit_code == 2  # it could not be read back
    forms = tmp_path / "forms"
    assert run("forms", str(small), "--out", str(forms)).exit_code == 0
    first = sorted(forms.iterdir())
    (first[0]).write_bytes(b"a delegate's filled form")
    again = run("forms", str(small), "--out", str(forms))
    assert again.exit_code == 2 and "--force" in again.output
    assert first[0].read_bytes() == b"a delegate's filled form"
    assert run("forms", str(small), "--out", str(forms), "--force").exit_code == 0


def test_a_place_the_command_cannot_write_is_a_located_message_not_an_internal_error(tmp_path: Path, monkeypatch):
    import errno

    from scheduler.io import template

    def read_only(path: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    monkeypatch.setattr(template, "write_template", read_only)
    result = run("template", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 2 and "internal error" not in result.output
    assert f"cannot write {tmp_path / 't.xlsx'} (permission denied or a read-only disk)" in result.output

    def full(path: object) -> None:  # a file in an output folder's hidden store is named by the folder
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / ".out.runs" / "staging-1" / "a.pdf"))

    monkeypatch.setattr(template, "write_template", full)
    result = run("template", str(tmp_path / "t.xlsx"))
    assert f"no space left on the disk of {tmp_path / 'out'}; free some space" in result.output


def test_a_re_solve_from_an_edited_schedule_keeps_meetings_and_reports_changes(
    small: Path, solved: Path, tmp_path: Path
):
    wb = openpyxl.load_workbook(solved)
    ws = wb["Meetings"]
    header = [c.value for c in ws[1]]
    ws.delete_rows(2)  # the organizer deletes a meeting...
    last = [c.value for c in ws[ws.max_row]]
    ws.delete_rows(ws.max_row)
    ws.insert_rows(2)  # ...and moves the last row to the top
    for col, value in enumerate(last, start=1):
        ws.cell(2, col).value = value
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    out = tmp_path / "v2"
    result = run("solve", str(small), "--previous", str(edited), "-o", str(out), "--time-limit", "5", "--quiet")
    assert result.exit_code == 0, result.output
    assert (out / "changes.xlsx").exists() and (out / "agendas-changed.pdf").exists()
    assert "Changes since the published schedule" in (out / "report.html").read_text()
    changed = openpyxl.load_workbook(out / "changes.xlsx", read_only=True)["Changed attendees"]
    changed_ids = {row[0] for row in changed.iter_rows(min_row=2, values_only=True)}
    assert {p.stem.upper() for p in (out / "calendars-changed").iterdir()} == {i.upper() for i in changed_ids}
    from pypdf import PdfReader

    for ident in changed_ids:  # each changed attendee's own file is the revised agenda
        pages = [p.extract_text() for p in PdfReader(out / "agendas" / f"{ident.lower()}.pdf").pages]
        # French-only attendees (Quebec, New Brunswick) get theirs in French.
        assert all("REVISED" in text or "RÉVISÉ" in text for text in pages), ident
        assert "what changed for you" in pages[0] or "ce qui a changé pour vous" in pages[0], ident
    assert len(PdfReader(out / "agendas-changed.pdf").pages) >= len(changed_ids)
    assert "Kept" in result.output
    new = openpyxl.load_workbook(out / "schedule.xlsx", read_only=True)["Meetings"]
    rows = list(new.iter_rows(values_only=True))
    where = {(r[rows[0].index("Attendee A")], r[rows[0].index("Attendee B")]): r for r in rows[1:]}
    a, b = header.index("Attendee A"), header.index("Attendee B")
    kept = where[(last[a], last[b])]
    assert (kept[rows[0].index("Start")], kept[rows[0].index("Table")]) == (
        last[header.index("Start")],
        last[header.index("Table")],
    )


def test_verify_and_agendas_agree_on_a_meeting_deleted_by_hand(small: Path, solved: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(solved)
    wb["Meetings"].delete_rows(2)
    edited = tmp_path / "lost.xlsx"
    wb.save(edited)
    # Bookkeeping, not a broken rule: both say so as a warning, with what to do, and go on.
    result = run("verify", str(small), "--schedule", str(edited))
    assert result.exit_code == 0
    assert "warning: lost.xlsx › Unscheduled: the request of" in result.output
    assert "neither met nor listed (a meeting deleted by hand?); add a row for it to Unscheduled" in result.output
    rendered = run("agendas", str(edited), str(small), "-o", str(tmp_path / "out"))
    assert rendered.exit_code == 0 and "neither met nor listed" in rendered.output
    assert run("verify", str(small), "--schedule", str(tmp_path / "out" / "schedule.xlsx")).exit_code == 0
    wb["Meetings"]["B2"] = "not a date"  # a broken rule stops both
    wb.save(edited)
    assert run("verify", str(small), "--schedule", str(edited)).exit_code == 2
    assert run("agendas", str(edited), str(small), "-o", str(tmp_path / "out2")).exit_code == 2


def test_a_re_solve_without_o_writes_a_new_folder_and_says_where(
    small: Path, solved: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    published = solved.read_bytes()
    result = run("solve", str(small), "--previous", str(solved), "--time-limit", "3", "--no-documents")
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in (tmp_path / "outputs").iterdir() if not p.name.startswith("."))
    assert len(folders) == 1 and folders[0].endswith("-2")
    assert f"Writing the re-solve to outputs/{folders[0]}" in result.output
    assert solved.read_bytes() == published


def test_a_re_solve_into_the_folder_of_its_previous_schedule_is_refused(small: Path, solved: Path):
    published = solved.read_bytes()
    result = run("solve", str(small), "--previous", str(solved), "-o", str(solved.parent), "--quiet")
    assert result.exit_code == 2
    assert "holds the --previous schedule" in result.output
    assert solved.read_bytes() == published


def _re_solve(edited: Path, solved: Path, out: Path) -> list[str]:
    """A quick re-solve of ``edited`` from the published ``solved``, into ``out``."""
    return ["solve", str(edited), "--previous", str(solved), "-o", str(out), "--time-limit", "3", "--quiet",
            "--no-documents"]


def test_a_previous_schedule_of_other_people_stops_the_run(small: Path, solved: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(small)
    ws = wb["Attendees"]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("Name") + 1).value = "Somebody Else"
    renamed = tmp_path / "renamed.xlsx"
    wb.save(renamed)
    out = tmp_path / "v2"
    args = _re_solve(renamed, solved, out)
    result = run(*args)
    assert result.exit_code == 2
    assert f"{solved.name} › Attendees › row" in result.output and "'Somebody Else'" in result.output
    assert "--accept-renames" in result.output
    assert not out.exists()
    assert run(*args, "--accept-renames").exit_code == 0


def test_an_attendee_given_a_new_id_stops_the_re_solve(small: Path, solved: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(small)
    old_id = wb["Attendees"].cell(2, 1).value
    for ws in wb.worksheets:  # the organizer retyped the ID everywhere it appears
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == old_id:
                    cell.value = f"{old_id}X"
    retyped = tmp_path / "retyped.xlsx"
    wb.save(retyped)
    out = tmp_path / "v2"
    args = _re_solve(retyped, solved, out)
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert f"{solved.name} › Attendees › row 2 › Attendee: {old_id} (" in result.output
    assert f"{old_id}X is new with the same name and organization" in result.output
    assert not out.exists()
    assert run(*args, "--accept-renames").exit_code == 0


def test_validate_refuses_what_solve_would_refuse_before_its_search(tmp_path: Path):
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from support.workbooks import minimal, write_book

    book = minimal()
    book["Schedule"].append([book["Schedule"][1][0], "11:00", "12:00", "Sessions", "Talks"])
    book["Rooms"].append(["Salon", "Sessions", 10, None])
    book["Sessions"] = [["Session", "Title", "Expected audience"], ["S1", "Keynote", 300]]
    result = run("validate", str(write_book(tmp_path / "event.xlsx", book)))
    assert result.exit_code == 2
    assert "error: event.xlsx › Sessions › row 2: session S1 (Keynote): too large for every session room: " \
           "expected audience 300 > biggest room 10 (Salon)" in result.output
    assert "OK" not in result.output


def test_validate_refuses_sessions_that_cannot_all_be_placed(tmp_path: Path):
    # Each session alone has a period, a room and its speaker free; together
    # they cannot be placed (one speaker, two overlapping periods). validate
    # said OK and solve refused: now validate says why, naming both rows.
    from datetime import time

    from support.workbooks import minimal, write_book

    book = minimal(end=time(11))
    day = book["Schedule"][1][0]
    book["Schedule"] += [[day, time(9), time(10), "Sessions", "Talks I"], [day, time(9, 30), time(10, 30), "Sessions", "Talks II"]]
    book["Rooms"] += [["Salon", "Sessions", 20, None], ["Salon 2", "Sessions", 20, None]]
    book["Sessions"] = [["Session", "Title", "Speakers"], ["S1", "One", "A1"], ["S2", "Two", "A1"]]
    path = write_book(tmp_path / "event.xlsx", book)
    result = run("validate", str(path))
    assert result.exit_code == 2, result.output
    assert "error: event.xlsx › Sessions › rows 2, 3: sessions S1 and S2 cannot both be placed: " \
           "speakers cannot be in two places at once" in result.output
    book["Sessions"][2][2] = "B1"  # another speaker: both fit
    assert run("validate", str(write_book(tmp_path / "event.xlsx", book))).exit_code == 0


def test_an_event_with_sessions_and_no_requests_solves_end_to_end(tmp_path: Path):
    from support.workbooks import minimal, write_book

    book = minimal()
    book["Requests"] = [["From", "To", "Priority"]]
    book["Schedule"].append([book["Schedule"][1][0], "11:00", "12:00", "Sessions", "Talks"])
    book["Rooms"].append(["Salon", "Sessions", 50, None])
    book["Sessions"] = [["Session", "Title", "Speakers"], ["S1", "Keynote", "A1"]]
    path, out = write_book(tmp_path / "event.xlsx", book), tmp_path / "out"
    assert run("validate", str(path)).exit_code == 0
    result = run("solve", str(path), "-o", str(out), "--time-limit", "5", "--quiet")
    assert result.exit_code == 0, result.output
    sessions = openpyxl.load_workbook(out / "schedule.xlsx", read_only=True)["Sessions"]
    assert [r[:1] for r in sessions.iter_rows(min_row=2, values_only=True)] == [("S1",)]
    assert (out / "agendas.pdf").exists()


def test_a_cancelled_attendee_is_set_aside_and_a_re_solve_drops_their_meetings(
    small: Path, solved: Path, tmp_path: Path
):
    meetings = openpyxl.load_workbook(solved, read_only=True)["Meetings"]
    rows = list(meetings.iter_rows(values_only=True))
    gone = str(rows[1][rows[0].index("Attendee A")]).split(";")[0].strip()
    wb = openpyxl.load_workbook(small)
    ws = wb["Attendees"]
    status = [c.value for c in ws[1]].index("Status") + 1  # the example writes every contract column
    ids = [str(c.value) for c in ws["A"]]
    ws.cell(ids.index(gone) + 1, status).value = "cancelled"
    edited = tmp_path / "registration.xlsx"
    wb.save(edited)
    checked = run("validate", str(edited))
    assert checked.exit_code == 0, checked.output
    assert "warning: registration.xlsx › Requests › row" in checked.output and "is cancelled" in checked.output
    out = tmp_path / "v2"
    result = run("solve", str(edited), "--previous", str(solved), "-o", str(out), "--time-limit", "5", "--quiet")
    assert result.exit_code == 0, result.output
    new = openpyxl.load_workbook(out / "schedule.xlsx", read_only=True)["Meetings"]
    assert gone not in {str(c) for r in new.iter_rows(values_only=True) for c in r}
    name = ws.cell(ids.index(gone) + 1, 2).value
    changes = openpyxl.load_workbook(out / "changes.xlsx", read_only=True)["Changes"]
    reasons = {r[-1] for r in changes.iter_rows(min_row=2, values_only=True)}
    assert f"{name} is no longer registered (cancelled)" in reasons


def test_a_re_solve_after_tables_and_a_session_room_were_removed_reports_every_meeting_and_session_moved(
    small: Path, solved: Path, tmp_path: Path
):
    """Meetings at a table, and sessions in a room, that the changed event no
    longer has were left out when the previous schedule was read back: they
    were neither kept nor reported, and the summary said 100% were kept."""
    old = openpyxl.load_workbook(solved, read_only=True)
    meetings = list(old["Meetings"].iter_rows(values_only=True))
    head = meetings[0]
    tables = [(r[head.index("Room")], int(str(r[head.index("Table")]).lstrip("T"))) for r in meetings[1:]]
    places = [f"{r[head.index('Date')]:%Y-%m-%d} {r[head.index('Start')]:%H:%M}, {r[head.index('Room')]} {r[head.index('Table')]}"
              for r in meetings[1:]]
    sessions = list(old["Sessions"].iter_rows(values_only=True))
    session_room = next(r[sessions[0].index("Room")] for r in sessions[1:] if r[sessions[0].index("Room")])
    wb = openpyxl.load_workbook(small)
    rooms = wb["Rooms"]
    cols = [c.value for c in rooms[1]]
    for row in rooms.iter_rows(min_row=2):
        if row[cols.index("Use")].value == "Meetings" and row[cols.index("Room")].value != "Canadian Room":
            row[cols.index("Tables")].value = 1  # the rooms without fixed meetings keep one table
        if row[cols.index("Room")].value == session_room:
            row[cols.index("Room")].value = f"{session_room} (renamed)"
    edited = tmp_path / "fewer-tables.xlsx"
    wb.save(edited)
    out = tmp_path / "v2"
    result = run("solve", str(edited), "--previous", str(solved), "-o", str(out), "--time-limit", "5",
                 "--quiet", "--no-documents")
    assert result.exit_code == 0, result.output
    gone = sum(room != "Canadian Room" and t > 1 for room, t in tables)
    assert gone and f" of {len(tables)} previous meetings in place" in result.output
    report = openpyxl.load_workbook(out / "changes.xlsx", read_only=True)
    summary = dict(report["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Previous meetings"] == len(tables) and summary["Kept in place"] <= len(tables) - gone
    changes = list(report["Changes"].iter_rows(min_row=2, values_only=True))
    # Every published meeting is kept, moved or dropped, and counted once (not once per attendee).
    assert summary["Kept in place"] + summary["Meetings moved"] + summary["Meetings dropped"] == len(tables)
    assert 0 < summary["Moved to another table at the same time"] <= summary["Meetings moved"]
    assert summary["Sessions moved"] == len({c[4] for c in changes if c[2] == "session moved"}) > 0
    assert f"{summary['Meetings moved']} meetings moved (" in result.output
    # Moved to another table at the same time where one is free, else to another time, or dropped.
    off_table = [c for c in changes if c[2] in ("moved", "dropped") and "has only 1 table now" in (c[7] or "")]
    # Every meeting whose table is gone, by its old place ("Before"), and no other.
    assert {c[5] for c in off_table} == {p for p, (room, t) in zip(places, tables, strict=True)
                                         if room != "Canadian Room" and t > 1}
    moved_sessions = [c for c in changes if c[2] == "session moved"]
    assert moved_sessions and all(c[7] == f"the room {session_room} is no longer in the Rooms sheet"
                                  for c in moved_sessions)


def test_a_re_solve_names_the_rows_of_the_previous_schedule_it_could_not_read(
    small: Path, solved: Path, tmp_path: Path
):
    wb = openpyxl.load_workbook(solved)
    ws = wb["Meetings"]
    ws.cell(2, [c.value for c in ws[1]].index("Date") + 1).value = "June 4"  # a typo while editing by hand
    edited = tmp_path / "typo.xlsx"
    wb.save(edited)
    result = run("solve", str(small), "--previous", str(edited), "-o", str(tmp_path / "v2"), "--time-limit", "3",
                 "--quiet", "--no-documents")
    assert result.exit_code == 0, result.output
    assert ("warning: typo.xlsx › Meetings › row 2 › Date: not a date; write it like 2017-06-05; "
            "the row is left out (found: June 4)") in result.output


def test_rows_of_the_previous_schedule_it_could_not_read_are_in_changes_xlsx(small: Path, solved: Path, tmp_path: Path):
    # Hand edits broke a Meetings row and a Sessions row: the meeting's two
    # attendees lost it as printed, and the session is placed again.
    wb = openpyxl.load_workbook(solved)
    meetings, sessions = wb["Meetings"], wb["Sessions"]
    header = [c.value for c in meetings[1]]
    meetings.cell(2, header.index("Date") + 1).value = "June 4"
    who = {i.strip() for c in ("Attendee A", "Attendee B") for i in meetings.cell(2, header.index(c) + 1).value.split(";")}
    placed = next(r for r in range(2, sessions.max_row + 1) if sessions.cell(r, 3).value)
    session = sessions.cell(placed, 1).value
    sessions.cell(placed, [c.value for c in sessions[1]].index("Start") + 1).value = "noon"
    edited = tmp_path / "typos.xlsx"
    wb.save(edited)
    result = run(*_re_solve(small, edited, tmp_path / "v2"))
    assert result.exit_code == 0, result.output
    rows = list(openpyxl.load_workbook(tmp_path / "v2" / "changes.xlsx")["Changes"].iter_rows(min_row=2, values_only=True))
    dropped = [r for r in rows if r[2] == "dropped" and "row 2 of the previous schedule cannot be kept" in r[7]]
    assert {r[0] for r in dropped} == who and all("not a date" in r[7] for r in dropped)
    moved = [r for r in rows if r[2] == "session moved" and r[4] == session]
    assert moved and all(f"row {placed} of the previous schedule cannot be read" in r[7] for r in moved)


def test_agendas_from_a_hand_edited_schedule_keeps_it_beside_the_documents(small: Path, solved: Path, tmp_path: Path):
    folder = tmp_path / "published"
    folder.mkdir()
    edited = folder / "schedule.xlsx"
    edited.write_bytes(solved.read_bytes())
    result = run("agendas", str(edited), str(small))
    assert result.exit_code == 0, result.output
    assert (folder / "schedule.xlsx").read_bytes() == solved.read_bytes()
    assert (folder / "agendas.pdf").exists() and (folder / "calendars").is_dir()
    assert not (folder / "changes.xlsx").exists()


def test_ctrl_c_during_a_solve_stops_it_and_writes_nothing(tmp_path: Path) -> None:
    # A real SIGINT to the command, as a planner's Ctrl-C: it must neither be
    # swallowed (the run going on for its whole limit) nor kill the process
    # without a word; by default nothing is written.
    import signal
    import subprocess
    import sys
    import time

    event = write_example(tmp_path / "event.xlsx", attendees=400, seed=5)[0]
    out = tmp_path / "out"
    command = [str(Path(sys.executable).parent / "scheduler"), "solve", str(event), "-o", str(out),
               "--time-limit", "120", "--no-documents"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(4)  # within reading, sessions or the bound: each must hand Ctrl-C back
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=100)
    assert process.returncode == 130, output
    assert "Interrupted: nothing written" in output
    assert not (out / "schedule.xlsx").exists()


def test_an_event_of_sessions_only_validates_solves_and_verifies(tmp_path: Path):
    from datetime import date, time

    from support.workbooks import minimal, write_book

    book = minimal()
    book["Schedule"] = [["Date", "Start", "End", "Activity"], [date(2017, 6, 5), time(10), time(11), "Sessions"],
                        [date(2017, 6, 5), time(11), time(12), "Sessions"]]
    book["Rooms"] = [["Room", "Use", "Capacity"], ["Salon", "Sessions", 40]]
    book["Requests"] = [["From", "To", "Priority"]]  # the contract: no rows when the event only schedules sessions
    book["Sessions"] = [["Session", "Title", "Speakers"], ["S1", "Batteries", "A1"], ["S2", "Cloud", "A1"]]
    path = write_book(tmp_path / "sessions.xlsx", book)
    assert run("validate", str(path)).exit_code == 0
    result = run("solve", str(path), "-o", str(tmp_path / "out"), "--time-limit", "5", "--quiet")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "out" / "schedule.xlsx", read_only=True)
    sessions = list(wb["Sessions"].iter_rows(min_row=2, values_only=True))
    assert len(sessions) == 2 and len(list(wb["Meetings"].iter_rows(min_row=2))) == 0
    assert run("verify", str(path), "--schedule", str(tmp_path / "out" / "schedule.xlsx")).exit_code == 0
    assert (tmp_path / "out" / "agendas.pdf").exists() and (tmp_path / "out" / "rooms.pdf").exists()


def test_validate_names_a_cell_error_and_a_fixed_meeting_that_breaks_a_rule_in_one_run(tmp_path: Path):
    from datetime import date, time

    from support.workbooks import minimal, write_book

    book = minimal(end=time(10, 15))
    book["Requests"][1][2] = "Urgent"
    book["Unavailable"] = [["Attendee", "Date", "Start", "End"], ["C1", date(2017, 6, 5), time(9), time(9, 30)]]
    book["Fixed meetings"] = [["Attendee A", "Attendee B", "Date", "Start"], ["A1", "C1", date(2017, 6, 5), "9:00"]]
    result = run("validate", str(write_book(tmp_path / "event.xlsx", book)))
    assert result.exit_code == 2
    assert "event.xlsx › Requests › row 2 › Priority: not a priority" in result.output
    assert "event.xlsx › Fixed meetings › row 2: Cy Fox is not free at 2017-06-05 09:00" in result.output
    # An error in the time grid: the fixed meeting's time cannot be checked against it, and is not.
    book["Schedule"][1][1] = 900
    result = run("validate", str(write_book(tmp_path / "event.xlsx", book)))
    assert "Schedule › row 2 › Start" in result.output and "Fixed meetings" not in result.output


def test_more_workers_than_cores_is_a_warning(small: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    result = run("solve", str(small), "-o", str(tmp_path / "out"), "--workers", "2", "--time-limit", "2",
                 "--no-documents")
    assert result.exit_code == 0
    assert "warning: --workers 2 is more than this machine's 1 cores" in result.output


def test_a_row_error_of_an_attendee_in_a_fixed_meeting_is_reported_not_an_internal_error(tmp_path: Path):
    from datetime import date

    from support.workbooks import minimal, put, write_book

    book = put(minimal(), "Attendees", 2, "Max meetings", "lots")  # A1's row is left out for its error
    book["Fixed meetings"] = [["Attendee A", "Attendee B", "Date", "Start"], ["A1", "B1", date(2017, 6, 5), "9:00"]]
    result = run("validate", str(write_book(tmp_path / "event.xlsx", book)))
    assert result.exit_code == 2 and "internal error" not in result.output
    assert "event.xlsx › Attendees › row 2 › Max meetings: not a whole number (found: lots)" in result.output


def test_a_meeting_deleted_by_hand_is_named_even_when_unscheduled_was_empty(tmp_path: Path):
    from support.workbooks import minimal, write_book

    event = write_book(tmp_path / "event.xlsx", minimal())  # one request, met
    assert run("solve", str(event), "-o", str(tmp_path / "out"), "--time-limit", "2", "--quiet",
               "--no-documents").exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "out" / "schedule.xlsx")
    assert wb["Unscheduled"].max_row == 1
    wb["Meetings"].delete_rows(2)
    wb.save(tmp_path / "edited.xlsx")
    result = run("verify", str(event), "--schedule", str(tmp_path / "edited.xlsx"))
    assert result.exit_code == 0
    assert "warning: edited.xlsx › Unscheduled: the request of Ann Lee and Bob Roy is neither met nor listed" \
        in result.output
    assert "OK: 0 meetings and 0 sessions break no rule." in result.output
