"""One solve from input to files: interrupted runs write nothing unless asked."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scheduler import build
from scheduler.engine.solve import SolveOptions
from scheduler.model import Attendee, Room
from scheduler.problems import InputError
from scheduler.run import default_out, run_solve

DAY = date(2017, 6, 5)


def tiny():
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}") for x in "ABCD"]
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=[Room("Canadian Room", "Meetings", tables=2)],
        attendees=people,
        asks=[("A", "B"), ("C", "D"), ("A", "C")],
    )


def stopped() -> threading.Event:
    stop = threading.Event()
    stop.set()
    return stop


def test_an_interrupted_run_writes_nothing(tmp_path: Path):
    out = tmp_path / "out"
    outcome = run_solve(tiny(), SolveOptions(time_limit=5, workers=1), out, stop=stopped(), documents=False)
    assert outcome.exit_code == 130
    assert not out.exists()


def test_keep_best_on_interrupt_writes_a_verified_schedule(tmp_path: Path):
    out = tmp_path / "out"
    outcome = run_solve(
        tiny(),
        SolveOptions(time_limit=5, workers=1),
        out,
        stop=stopped(),
        keep_best_on_interrupt=True,
        documents=False,
    )
    assert outcome.exit_code == 0
    assert (out / "schedule.xlsx").exists()
    assert outcome.schedule is not None and len(outcome.schedule.meetings) == 3


@pytest.mark.parametrize("when", ["tables", "writing"])
def test_a_ctrl_c_after_the_search_or_while_writing_writes_nothing(tmp_path: Path, monkeypatch, when: str):
    import scheduler.documents as documents

    out = tmp_path / "out"
    assert run_solve(tiny(), SolveOptions(time_limit=5, workers=1), out, documents=False).exit_code == 0
    published = (out / "schedule.xlsx").read_bytes()
    stop = threading.Event()
    render = documents.render_all

    def render_then_ctrl_c(*args, **kwargs):
        written = render(*args, **kwargs)
        stop.set()
        return written

    if when == "writing":
        monkeypatch.setattr(documents, "render_all", render_then_ctrl_c)
    progress = (lambda p: stop.set() if p.phase == "tables" else None) if when == "tables" else None
    outcome = run_solve(tiny(), SolveOptions(time_limit=5, workers=1), out, stop=stop, progress=progress)
    assert outcome.exit_code == 130 and outcome.lines[0].startswith("Interrupted: nothing written")
    assert (out / "schedule.xlsx").read_bytes() == published and not (out / "agendas.pdf").exists()
    assert [p.name for p in (tmp_path / ".out.runs").iterdir() if p.name.startswith("staging")] == []


# ---------------------------------------------------------------- the output folder before solving


def never_solve(*_args, **_kwargs):
    raise AssertionError("the check must come before any solving")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, where nobody can create files")
def test_an_unwritable_parent_is_a_plain_message_before_solving(monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    with pytest.raises(InputError, match="cannot write in /proc "):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), Path("/proc/outputs/test-event"))


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(InputError, match="is a file"):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out")


def test_a_full_disk_is_a_plain_message_before_solving(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    monkeypatch.setattr(scheduler.run.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, 1000))
    with pytest.raises(InputError, match=r"only 1 kB free .* 4 attendees need about 5 MB"):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_write_that_fails_half_way_is_a_plain_message(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "agendas.pdf"))

    monkeypatch.setattr(scheduler.run, "write_outputs", disk_full)
    outcome = run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out", documents=False)
    assert outcome.exit_code == 2
    assert "No space left on device" in outcome.lines[0] and "left as it was" in outcome.lines[0]


def test_event_names_in_other_scripts_get_their_own_folders() -> None:
    names = ["Выставка 2024", "展览会 2024", "معرض 2024", "2024"]
    events = [replace(tiny(), settings=replace(tiny().settings, name=n)) for n in names]
    folders = [default_out(e, None).name for e in events]
    assert len(set(folders)) == len(folders), folders
    assert folders[0] == "vystavka-2024"
    assert folders[3] == "event-2024-2017-06-05"  # no letters at all: the dates tell it apart


def test_a_re_solve_without_o_takes_the_next_free_folder(tmp_path: Path) -> None:
    event = tiny()
    root = tmp_path / "outputs"
    (root / "test-event").mkdir(parents=True)
    assert default_out(event, None, root) == root / "test-event"
    assert default_out(event, "x.xlsx", root) == root / "test-event-2"
    (root / "test-event-2").mkdir()
    assert default_out(event, "x.xlsx", root) == root / "test-event-3"


def _teams_event(people: list[tuple[str, str, str | None]],
                 asks: tuple[tuple[str, str], ...] = (("B1", "A1"), ("B1", "A2"), ("C1", "D1"))):
    """Attendees (ID, organization, team), by default with the requests B1–A1, B1–A2 and C1–D1."""
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:40")],
        rooms=[Room("Hall", "Meetings", tables=4)],
        attendees=[Attendee(id=i, name=f"Person {i}", organization=org, team=team) for i, org, team in people],
        asks=list(asks),
    )


def _published_then_resolved(before, after, tmp_path: Path) -> tuple[list[tuple], dict[str, object]]:
    """Solve ``before`` into v1, re-solve ``after`` from it into v2: changes.xlsx of v2 (see ``_changes``)."""
    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(before, options, tmp_path / "v1", documents=False).exit_code == 0
    again = run_solve(after, options, tmp_path / "v2", documents=False, previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    return _changes(tmp_path / "v2")


def _changes(out: Path) -> tuple[list[tuple], dict[str, object]]:
    """changes.xlsx as a user reads it: the Changes rows (attendee, change, counterpart ID,
    before, after, reason) and the Summary figures."""
    import openpyxl

    book = openpyxl.load_workbook(out / "changes.xlsx")
    rows = [(r[0], r[2], r[4], r[5], r[6], r[7]) for r in book["Changes"].iter_rows(min_row=2, values_only=True)]
    summary = {str(k): v for k, v in book["Summary"].iter_rows(min_row=2, values_only=True)}
    return rows, summary


def test_a_team_change_after_publishing_lists_who_lost_or_gained_a_meeting(tmp_path: Path) -> None:
    before = _teams_event([("A1", "Acme", None), ("A2", "Acme", None), ("B1", "Beta", None),
                           ("C1", "Ceta", None), ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"),
                           ("D3", "Delta", "dteam")])
    options = SolveOptions(time_limit=5, workers=1)
    published = run_solve(before, options, tmp_path / "v1", documents=False)
    assert published.exit_code == 0 and published.schedule and len(published.schedule.meetings) == 3
    # A1 and A2 become one team, which meets B1 once; D3 leaves the team and G1 joins it.
    after = _teams_event([("A1", "Acme", "acme"), ("A2", "Acme", "acme"), ("B1", "Beta", None),
                          ("C1", "Ceta", None), ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"),
                          ("D3", "Delta", None), ("G1", "Delta", "dteam")])
    again = run_solve(after, options, tmp_path / "v2", documents=False,
                      previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    rows, summary = _changes(tmp_path / "v2")
    by_who = {(r[0], r[1]): r for r in rows}
    assert set(by_who) == {("A2", "dropped"), ("B1", "dropped"), ("A2", "added"), ("D3", "dropped"),
                           ("G1", "added"), ("B1", "changed"), ("C1", "changed")}
    assert by_who["C1", "changed"][5] == "Person G1 (G1) now comes too; Person D3 (D3) no longer comes"
    assert by_who["A2", "dropped"][5] == ("row 4 of the previous schedule cannot be kept: A2 now meets with A1 as "
                                          "the team acme, which already meets Person B1 in row 2")
    assert by_who["A2", "added"][5] == "a meeting of A1, now the team acme's"
    assert by_who["B1", "dropped"][2] == "A2"  # the counterpart the published row named
    assert by_who["D3", "dropped"][5] == "the team dteam keeps this meeting, and D3 is no longer in it"
    assert by_who["G1", "added"][2] == "C1"
    assert summary["Previous meetings"] == 3 and summary["Meetings dropped"] == 1
    assert summary["Kept in place"] == 2 and summary["Attendees whose agenda changed"] == 5


def test_revised_agendas_tell_attendees_why_in_their_words_and_language(tmp_path: Path) -> None:
    from pypdf import PdfReader

    def agenda(out: Path, who: str) -> str:
        return " ".join(" ".join(p.extract_text() for p in PdfReader(out / "agendas" / f"{who.lower()}.pdf").pages).split())

    before = _teams_event([("A1", "Acme", None), ("A2", "Acme", None), ("B1", "Beta", None),
                           ("C1", "Ceta", None), ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"),
                           ("D3", "Delta", "dteam")])
    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(before, options, tmp_path / "v1").exit_code == 0
    # D3 leaves the team and G1 joins it; A2 cancels. C1 reads French.
    people = [Attendee(id=i, name=f"Person {i}", organization=org, team=team,
                       agenda_language="fr" if i == "C1" else "")
              for i, org, team in (("A1", "Acme", None), ("B1", "Beta", None), ("C1", "Ceta", None),
                                   ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"), ("D3", "Delta", None),
                                   ("G1", "Delta", "dteam"))]
    after = build.event(blocks=[build.block(DAY, "9:00", "10:40")], rooms=[Room("Hall", "Meetings", tables=4)],
                        attendees=people, asks=[("B1", "A1"), ("C1", "D1")])
    again = run_solve(after, options, tmp_path / "v2", previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    b1, c1, d3 = (agenda(tmp_path / "v2", who) for who in ("B1", "C1", "D3"))
    assert "Cancelled: meeting with Person A2, Mon, Jun 5, " in b1 and "— Person A2 has cancelled" in b1
    assert "Modification : rencontre avec dteam, lun. 5 juin, " in c1
    assert "— Person G1 se joint aussi à la rencontre; Person D3 ne participera plus à la rencontre" in c1
    assert "Cancelled: meeting with Person C1" in d3 and "— the team dteam keeps this meeting without you" in d3
    # What the organizer reads in changes.xlsx (IDs, registrations, rules) stays off the agendas.
    assert not any(word in text for text in (b1, c1, d3) for word in ("registered", "(G1)", "D3 is no longer"))


def test_a_re_solve_tells_who_left_a_team_when_its_meeting_is_dropped_and_ignores_repeated_rows(
        tmp_path: Path) -> None:
    import openpyxl

    team = [("C1", "Ceta", None), ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"), ("D3", "Delta", "dteam"),
            ("A1", "Acme", None), ("A2", "Acme", None), ("B1", "Beta", None)]
    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(_teams_event(team), options, tmp_path / "v1", documents=False).exit_code == 0
    # An organizer's copy of the published schedule: a row copied twice and a note row.
    book = openpyxl.load_workbook(tmp_path / "v1" / "schedule.xlsx")
    sheet = book["Meetings"]
    sheet.append([c.value for c in sheet[2]])
    sheet.append([None] * (sheet.max_column - 1) + ["call Bob first"])
    book.save(tmp_path / "v1" / "schedule.xlsx")
    # C1 cancels; D3 leaves the team: D3 had the team's meeting with C1 too.
    after = _teams_event([("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"), ("D3", "Delta", None),
                          ("A1", "Acme", None), ("A2", "Acme", None), ("B1", "Beta", None)],
                         asks=(("B1", "A1"), ("B1", "A2")))
    again = run_solve(after, options, tmp_path / "v2", documents=False,
                      previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    rows, summary = _changes(tmp_path / "v2")
    assert sorted((r[0], r[1], r[5]) for r in rows) == [
        (who, "dropped", "Person C1 is no longer registered (cancelled)") for who in ("D1", "D2", "D3")]
    # B1's two meetings kept; the copied row and the note are no meetings of their own.
    assert (summary["Previous meetings"], summary["Kept in place"], summary["Meetings dropped"]) == (3, 2, 1)


def test_of_two_rows_a_team_change_makes_one_the_fixed_meeting_s_row_stays(tmp_path: Path) -> None:
    from datetime import datetime

    from scheduler.model import FixedMeeting

    def event(team: str | None):
        people = [Attendee(id=i, name=f"Person {i}", organization=org, team=team if i[0] == "A" else None)
                  for i, org in (("A1", "Acme"), ("A2", "Acme"), ("B1", "Beta"))]
        return build.event(blocks=[build.block(DAY, "9:00", "10:40")], rooms=[Room("Hall", "Meetings", tables=2)],
                           attendees=people, asks=[("B1", "A1")],
                           fixed=[FixedMeeting("a2", "b1", datetime(2017, 6, 5, 9, 25), origin="Fixed meetings › row 2")])

    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(event(None), options, tmp_path / "v1", documents=False).exit_code == 0
    again = run_solve(event("acme"), options, tmp_path / "v2", documents=False,
                      previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    assert again.schedule and [(m.pair, m.slot, m.fixed) for m in again.schedule.meetings] == [
        (("b1", "team:acme"), 1, True)]
    rows, summary = _changes(tmp_path / "v2")
    assert sorted((r[0], r[1]) for r in rows) == [("A1", "added"), ("A1", "dropped"), ("B1", "changed"),
                                                  ("B1", "dropped")]
    assert (summary["Kept in place"], summary["Meetings moved"], summary["Meetings dropped"]) == (1, 0, 1)


def test_a_member_who_leaves_a_team_keeps_the_fixed_meeting_made_for_them(tmp_path: Path) -> None:
    # The Fixed meetings row names A2 (of the team A1; A2) with B1; A2 leaves
    # the team. The row stays A2's, at its place; A1 is told it is off their
    # agenda. It was dropped and booked again as a new meeting.
    from datetime import datetime

    from scheduler.model import FixedMeeting

    def event(a2_team: str | None):
        people = [Attendee(id="A1", name="Person A1", organization="Acme", team="acme"),
                  Attendee(id="A2", name="Person A2", organization="Acme", team=a2_team),
                  Attendee(id="B1", name="Person B1", organization="Beta")]
        return build.event(blocks=[build.block(DAY, "9:00", "10:40")], rooms=[Room("Hall", "Meetings", tables=2)],
                           attendees=people,
                           fixed=[FixedMeeting("a2", "b1", datetime(2017, 6, 5, 9, 25), origin="Fixed meetings › row 2")])

    rows, summary = _published_then_resolved(event("acme"), event(None), tmp_path)
    assert sorted((r[0], r[1], r[5]) for r in rows) == [
        ("A1", "dropped", "Person A2 keeps this meeting, and is no longer in a team with A1"),
        ("B1", "changed", "Person A1 (A1) no longer comes")]
    assert (summary["Kept in place"], summary["Meetings dropped"], summary["Meetings added"]) == (1, 0, 0)


def test_a_meeting_that_stays_with_a_host_who_leaves_its_team_is_kept_not_dropped_and_added(
        tmp_path: Path) -> None:
    from datetime import datetime

    from scheduler.model import FixedMeeting

    # Host P06 leaves team Acme and keeps the one table all day (its fixed meeting at 9:00):
    # the 9:25 meeting of P01 with the team stays at its place as P01 with P06 alone.
    def event(team: str | None):
        people = [Attendee(id=i, name=f"Person {i}", organization=org, team=t, host=i == "P06")
                  for i, org, t in (("P00", "Acme", "acme"), ("P05", "Acme", "acme"), ("P06", "Acme", team),
                                    ("P01", "Org1", None), ("P03", "Org3", None))]
        return build.event(blocks=[build.block(DAY, "9:00", "9:45")], rooms=[Room("Hall", "Meetings", tables=1)],
                           attendees=people, asks=[("P00", "P01", 3), ("P01", "P06", 1), ("P03", "P06", 3)],
                           fixed=[FixedMeeting("p03", "p06", datetime(2017, 6, 5, 9), origin="Fixed meetings › row 2")])

    rows, summary = _published_then_resolved(event("acme"), event(None), tmp_path)
    assert sorted((r[0], r[1], r[2], r[5]) for r in rows if r[3] == "2017-06-05 09:25, Hall T1") == [
        ("P00", "dropped", "P01", "Person P06 keeps this meeting, and is no longer in a team with P00"),
        ("P01", "changed", "P06", "Person P00 (P00) and Person P05 (P05) no longer come"),
        ("P05", "dropped", "P01", "Person P06 keeps this meeting, and is no longer in a team with P05")]
    assert (summary["Kept in place"], summary["Meetings dropped"], summary["Meetings added"]) == (2, 0, 0)


def test_a_team_member_who_cancels_is_named_to_the_team_s_counterparts(tmp_path: Path) -> None:
    team = [("C1", "Ceta", None), ("D1", "Delta", "dteam"), ("D2", "Delta", "dteam"), ("D3", "Delta", "dteam"),
            ("A1", "Acme", None), ("A2", "Acme", None), ("B1", "Beta", None)]
    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(_teams_event(team), options, tmp_path / "v1", documents=False).exit_code == 0
    again = run_solve(_teams_event([p for p in team if p[0] != "D3"]), options, tmp_path / "v2", documents=False,
                      previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    rows, summary = _changes(tmp_path / "v2")
    assert [(r[0], r[1], r[5]) for r in rows] == [("C1", "changed", "Person D3 cancelled")]
    assert summary["Kept in place"] == 3


def test_newcomers_on_both_sides_of_a_team_meeting_get_it_as_added_only(tmp_path: Path) -> None:
    # A3 joins team acme and B3 team beta, which meet: each newcomer gets the
    # meeting as added; only those who had it are told the other side changed.
    def event(joined: bool):
        people = [(i, org, team) for i, org, team in (("A1", "Acme", "acme"), ("A2", "Acme", "acme"),
                                                      ("B1", "Beta", "beta"), ("B2", "Beta", "beta"))]
        if joined:
            people += [("A3", "Acme", "acme"), ("B3", "Beta", "beta")]
        return _teams_event(people, asks=(("A1", "B1"),))

    options = SolveOptions(time_limit=5, workers=1)
    assert run_solve(event(False), options, tmp_path / "v1", documents=False).exit_code == 0
    assert run_solve(event(True), options, tmp_path / "v2", documents=False,
                     previous=str(tmp_path / "v1" / "schedule.xlsx")).exit_code == 0
    rows, _ = _changes(tmp_path / "v2")
    assert sorted((r[0], r[1]) for r in rows) == [("A1", "changed"), ("A2", "changed"), ("A3", "added"),
                                                  ("B1", "changed"), ("B2", "changed"), ("B3", "added")]


def test_of_two_rows_a_team_merge_makes_one_the_row_the_team_is_free_at_stays(tmp_path: Path) -> None:
    # A1 met B1 at 09:00, A2 met B1 at 09:25 and C1 at 09:00. Once A1 and A2
    # are one team, it is busy with C1 at 09:00: the 09:25 row stays (the
    # first row was kept and moved into its place, reported dropped as well).
    from scheduler.io.write import write_schedule
    from scheduler.schedule import Meeting, Schedule

    def event(team: str | None):
        return _teams_event([("A1", "Acme", team), ("A2", "Acme", team), ("B1", "Beta", None),
                             ("C1", "Ceta", None)], asks=(("A1", "B1"), ("A2", "B1"), ("A2", "C1")))

    published = Schedule(meetings=(Meeting("a1", "b1", 0, "Hall", 1), Meeting("a2", "c1", 0, "Hall", 2),
                                   Meeting("a2", "b1", 1, "Hall", 1)))
    (tmp_path / "v1").mkdir()
    write_schedule(event(None), published, tmp_path / "v1" / "schedule.xlsx")
    again = run_solve(event("acme"), SolveOptions(time_limit=5, workers=1), tmp_path / "v2", documents=False,
                      previous=str(tmp_path / "v1" / "schedule.xlsx"))
    assert again.exit_code == 0, again.lines
    rows, summary = _changes(tmp_path / "v2")
    assert (summary["Kept in place"], summary["Meetings moved"], summary["Meetings dropped"]) == (2, 0, 1)
    assert {(r[0], r[3]) for r in rows if r[1] == "dropped"} == {("A1", "2017-06-05 09:00, Hall T1"),
                                                                 ("B1", "2017-06-05 09:00, Hall T1")}
