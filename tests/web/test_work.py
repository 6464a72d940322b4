"""Reading in a child process: results come back, failures are reported, a runaway read is
killed, and the server's own threads keep going meanwhile."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from support.workbooks import minimal, write_book

from scheduler.web import work


def test_a_job_returns_its_result() -> None:
    assert work.in_child(divmod, 17, 5) == (3, 2)


def test_a_failing_job_reports_its_traceback() -> None:
    with pytest.raises(work.ChildFailed, match="ZeroDivisionError"):
        work.in_child(divmod, 1, 0)


def test_a_job_past_its_time_is_killed() -> None:
    with pytest.raises(work.ChildFailed, match="took longer than 1 s"):
        work.in_child(time.sleep, 60, timeout=1)


def test_a_read_holding_the_interpreter_does_not_hold_the_server() -> None:
    """Catastrophic backtracking holds Python's global lock for as long as it runs; in a
    child process it holds only the child. The server's other threads go on meanwhile."""
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            work.in_child(re.fullmatch, "(a+)+b", "a" * 40, timeout=3)
        except BaseException as err:  # noqa: BLE001 - looked at below
            outcome.append(err)

    reader = threading.Thread(target=read)
    reader.start()
    done = sum(1 for _ in range(200_000))  # the server's own work, done while the read goes on
    assert done == 200_000 and reader.is_alive()
    reader.join(30)
    assert isinstance(outcome[0], work.ChildFailed)


def test_check_reads_a_good_workbook(tmp_path: Path) -> None:
    write_book(tmp_path / "stored.xlsx", minimal())
    result = work.check(str(tmp_path), [{"original": "My event.xlsx", "stored": "stored.xlsx"}], None)
    assert result["state"] == "uploaded"
    assert result["title"] == "Test Expo"
    assert result["files"][0]["accepted"] is True


def test_check_names_problems_by_the_uploaded_file_name(tmp_path: Path) -> None:
    book = minimal()
    book["Requests"].append(["A1", "Z9", "High"])  # nobody is Z9
    write_book(tmp_path / "stored.xlsx", book)
    result = work.check(str(tmp_path), [{"original": "Régistration.xlsx", "stored": "stored.xlsx"}], None)
    assert result["state"] == "invalid"
    error = next(p for p in result["problems"] if not p["warning"])
    assert (error["file"], error["sheet"], error["row"]) == ("Régistration.xlsx", "Requests", 3)
    assert "Z9" in error["text"]


def test_check_refuses_what_the_solve_would_refuse_before_its_search(tmp_path: Path) -> None:
    # Read fine, but two sessions of one speaker in overlapping periods: the
    # page must not offer a run that stops at once (validate refuses it too).
    from datetime import time

    book = minimal(end=time(11))
    day = book["Schedule"][1][0]
    book["Schedule"] += [[day, time(9), time(10), "Sessions"], [day, time(9, 30), time(10, 30), "Sessions"]]
    book["Rooms"] += [["Salon", "Sessions", 20, None], ["Salon 2", "Sessions", 20, None]]
    book["Sessions"] = [["Session", "Speakers"], ["S1", "A1"], ["S2", "A1"]]
    talks = {"Sessions": book.pop("Sessions")}
    write_book(tmp_path / "Talks.xlsx", book)
    write_book(tmp_path / "Day_2_Talks.xlsx", talks)
    # Stored names are made safe; the message names each file as uploaded, and a stored name
    # inside another ("Talks.xlsx" in "Day_2_Talks.xlsx") is left alone.
    uploads = [{"original": "Talks!.xlsx", "stored": "Talks.xlsx"},
               {"original": "Day 2 Talks.xlsx", "stored": "Day_2_Talks.xlsx"}]
    result = work.check(str(tmp_path), uploads, None)
    assert result["state"] == "invalid"
    assert [p["text"] for p in result["problems"] if not p["warning"]][0].startswith(
        "Day 2 Talks.xlsx › Sessions › rows 2, 3: sessions S1 and S2 cannot both be placed")


def test_a_run_reads_its_inputs_under_their_uploaded_names(tmp_path: Path) -> None:
    # The solve's reasons cite rows ("the fixed meeting … › Fixed meetings › row 2"):
    # they must name the organizer's file, not the name it is stored under.
    book = minimal()
    book["Fixed meetings"] = [["Attendee A", "Attendee B", "Date", "Start"], ["A1", "B1", book["Schedule"][1][0], "9:00"]]
    stored = write_book(tmp_path / "stored.xlsx", book)
    event = work.read_for_solve([str(stored)], ["Régistration 2017.xlsx"])
    assert [f.origin for f in event.fixed] == ["Régistration 2017.xlsx › Fixed meetings › row 2"]


def test_two_uploads_of_one_name_are_told_apart(tmp_path: Path) -> None:
    book = minimal()
    write_book(tmp_path / "event.xlsx", {k: v for k, v in book.items() if k != "Requests"})
    write_book(tmp_path / "event-2.xlsx", {"Requests": [["From", "To", "Priority"], ["A1", "Z9", "High"]]})
    uploads = [{"original": "event.xlsx", "stored": "event.xlsx"}, {"original": "event.xlsx", "stored": "event-2.xlsx"}]
    result = work.check(str(tmp_path), uploads, None)
    assert [p["text"].split(":")[0] for p in result["problems"] if not p["warning"]] == [
        "event.xlsx (2) › Requests › row 2 › To"]
