"""The generated SEUS-CP sample: deterministic, realistic, clean against the contract."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from statistics import median

import openpyxl
import pytest

from scheduler.example import DELEGATIONS, write_example
from scheduler.io.contract import SHEET
from scheduler.io.read import ReadResult, read_event
from scheduler.model import Event, key_of

US = {d.name for d in DELEGATIONS if d.country == "US"}
REGISTRATION_SHEETS = ["Event", "Schedule", "Rooms", "Tracks", "Sessions", "Attendees", "Unavailable",
                       "Fixed meetings"]


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_example(tmp_path_factory.mktemp("example") / "seus-cp-2017.xlsx")[0]


@pytest.fixture(scope="module")
def sheets(book: Path) -> dict[str, list[tuple[object, ...]]]:
    return contents(book)


@pytest.fixture(scope="module")
def result(book: Path) -> ReadResult:
    return read_event([book])


@pytest.fixture(scope="module")
def event(result: ReadResult) -> Event:
    return result.event


@pytest.fixture(scope="module")
def request_rows(sheets: dict[str, list[tuple[object, ...]]]) -> list[tuple[object, ...]]:
    # Read-only rows stop at their last filled cell: pad to From, To, Priority, Note.
    return [(*row, None, None)[:4] for row in sheets["Requests"][1:]]


def country(event: Event, party: str) -> str:
    delegation = event.attendee[event.party[party].members[0]].delegation
    return "US" if delegation in US else "CA"


# ---------------------------------------------------------------- the whole sample


def test_default_sample_reads_with_no_error_and_no_warning(result: ReadResult) -> None:
    settings = result.event.settings
    assert result.warnings == ()
    assert settings.name == "SEUS-CP 2017 — Trade Partnerships at Work"
    assert settings.venue == "Fairmont Royal York, Toronto"
    assert (settings.time_zone, settings.meeting_minutes, settings.buffer_minutes) == ("America/Toronto", 20, 5)
    assert settings.paper_size == "Letter"
    assert [d.isoformat() for d in result.event.days] == ["2017-06-04", "2017-06-05", "2017-06-06"]


def test_same_seed_gives_the_same_workbook_and_another_seed_another(sheets: dict, tmp_path: Path) -> None:
    again = write_example(tmp_path / "again.xlsx")[0]
    assert contents(again) == sheets
    other = contents(write_example(tmp_path / "other.xlsx", seed=7)[0])
    assert other["Attendees"] != sheets["Attendees"]
    assert other["Schedule"] == sheets["Schedule"]  # the conference frame does not depend on the seed


def test_sheets_are_in_contract_order_with_contract_headers(sheets: dict) -> None:
    assert list(sheets) == [*REGISTRATION_SHEETS, "Requests"]
    for name, rows in sheets.items():
        assert list(rows[0]) == [c.name for c in SHEET[name.casefold()].columns]


def test_size_matches_the_real_conference(event: Event, request_rows: list) -> None:
    assert len(event.attendees) == 400
    per_delegation = Counter(a.delegation for a in event.attendees)
    assert len(per_delegation) == 13
    assert per_delegation.most_common(1)[0][0] == "Ontario"  # the host province
    orgs = Counter(a.organization for a in event.attendees)
    assert 220 <= len(orgs) <= 280
    assert max(orgs.values()) in (3, 4) and sum(n > 1 for n in orgs.values()) >= 50
    assert 2700 <= len(request_rows) <= 3300


# ---------------------------------------------------------------- requests


def test_a_few_attendees_are_in_great_demand(event: Event, request_rows: list) -> None:
    received = Counter(event.party_of.get(key_of(to)) or f"team:{key_of(to)}" for _, to, _, _ in request_rows)
    top = received.most_common(5)
    assert all(count >= 40 for _, count in top[:4]), top
    assert any("Motor" in event.attendee[event.party[p].members[0]].organization for p, _ in top)
    assert median(received[p.key] for p in event.parties) <= 8


def test_requests_mix_priorities_mutual_pairs_and_declines(event: Event, request_rows: list) -> None:
    shares = Counter(row[2] for row in request_rows)
    total = len(request_rows)
    assert 0.25 <= shares["High"] / total <= 0.38
    assert 0.38 <= shares["Medium"] / total <= 0.52
    assert 0.18 <= shares["Low"] / total <= 0.30
    declined = [r for r in event.requests if r.excluded == "declined"]
    assert 0.005 <= len(declined) / len(event.requests) <= 0.03
    mutual = sum(r.mutual for r in event.requests)
    assert 0.12 <= mutual / len(event.requests) <= 0.18
    assert 20 <= sum(bool(row[3]) for row in request_rows) <= 250  # a few notes


def test_requests_are_clean_and_mostly_across_the_border(event: Event) -> None:
    assert {r.excluded for r in event.requests} == {None, "declined"}  # none to oneself or a colleague
    for r in event.requests:
        assert event.party[r.a].languages & event.party[r.b].languages, r
    cross = sum(country(event, r.a) != country(event, r.b) for r in event.requests)
    assert cross / len(event.requests) > 0.6


# ---------------------------------------------------------------- people


def test_languages_follow_the_delegations(event: Event) -> None:
    quebec = [a for a in event.attendees if a.delegation == "Quebec"]
    french_only = [a for a in quebec if a.languages == ("French",)]
    assert 0.2 <= len(french_only) / len(quebec) <= 0.4
    assert sum(set(a.languages) == {"English", "French"} for a in quebec) >= len(quebec) / 2
    brunswick = [a for a in event.attendees if a.delegation == "New Brunswick"]
    assert sum(set(a.languages) == {"English", "French"} for a in brunswick) >= 0.6 * len(brunswick)
    others = [a for a in event.attendees if a.delegation not in ("Quebec", "New Brunswick")]
    assert sum("English" in a.languages for a in others) == len(others)
    assert any(not a.name.isascii() for a in quebec)  # Côté, Hélène, François...


def test_sectors_name_a_sector_then_its_subsectors(event: Event) -> None:
    first = Counter(a.sectors[0] for a in event.attendees)
    assert set(first) == {"Automotive", "ICT", "Clean Technology"}
    assert all(len(a.sectors) >= 2 for a in event.attendees)
    assert any(a.sectors[:2] == ("Automotive", "Turbochargers") for a in event.attendees)


def test_teams_hosts_partial_presence_and_unavailable_times(event: Event) -> None:
    teams = [p for p in event.parties if p.is_team]
    assert 2 <= len(teams) <= 4
    for team in teams:
        assert 2 <= len(team.members) <= 3
        assert len({event.attendee[m].organization for m in team.members}) == 1
    assert sum(a.host for a in event.attendees) == 5
    late = [a for a in event.attendees if a.arrives is not None]
    early = [a for a in event.attendees if a.departs is not None]
    assert len(late) >= 10 and len(early) >= 5
    assert any(a.arrives.hour == 12 for a in late) and any(a.departs.hour == 12 for a in early)
    away = {u.attendee for u in event.unavailable}
    assert 0.03 <= len(away) / len(event.attendees) <= 0.09


def test_sessions_have_speakers_and_an_audience(event: Event) -> None:
    assert len(event.sessions) == 12 and len(event.tracks) == 7
    speakers = [s for session in event.sessions for s in session.speakers]
    assert all(1 <= len(s.speakers) <= 2 for s in event.sessions)
    assert len(speakers) == len(set(speakers))
    for key in speakers:
        assert event.presence(key).start.date() == event.days[0] and not event.attendee[key].host
    listed = Counter(len(a.sessions) for a in event.attendees)
    assert set(listed) <= {0, 1, 2, 3} and listed[0] < len(event.attendees) / 2
    expected = [s.expected_audience for s in event.sessions if s.expected_audience]
    assert expected and max(expected) <= max(r.capacity or 0 for r in event.rooms)


# ---------------------------------------------------------------- time grid, rooms, fixed meetings


def test_schedule_overlaps_sessions_with_meetings_on_one_day_only(event: Event) -> None:
    meetings = [b for b in event.blocks if b.activity == "Meetings"]
    overlap_days = {p.day for p in event.periods for b in meetings if p.interval.overlaps(b.interval)}
    assert len(overlap_days) == 1
    for b in meetings:
        others = [o for o in event.blocks if o is not b and o.activity in ("Meetings", "Break", "Plenary")]
        assert not any(b.interval.overlaps(o.interval) for o in others), b
    assert len(event.slots) == 32


def test_tables_grow_with_the_event(event: Event) -> None:
    for day in event.days:
        tables = sum(r.tables for r in event.meeting_rooms(day))
        assert len(event.attendees) / 8 <= tables <= len(event.attendees) / 5
    rooms = {r.name for r in event.rooms}
    assert {"Canadian Room", "Concert Hall", "Imperial Room", "Library", "Saskatchewan Room"} <= rooms
    assert any(r.dates is not None for r in event.rooms)  # some rooms only on some days


def test_fixed_meetings_keep_every_rule(event: Event) -> None:
    assert 3 <= len(event.fixed) <= 5
    slot_starts = {s.start: s for s in event.slots}
    used_tables, people = set(), []
    for f in event.fixed:
        a, b = event.attendee[key_of(f.a)], event.attendee[key_of(f.b)]
        slot = slot_starts[f.start]
        room = event.room[f.room]
        assert room.open_on(slot.day) and 1 <= f.table <= room.tables
        assert a.organization != b.organization and set(a.languages) & set(b.languages)
        for x in (a, b):
            assert not (x.host or x.team) and x.arrives is None and x.departs is None
            assert not any(u.attendee == x.key and u.interval.overlaps(slot.interval) for u in event.unavailable)
        assert not any(p.interval.overlaps(slot.interval) for p in event.periods)
        used_tables.add((f.start, f.room, f.table))
        people += [a.key, b.key]
    assert len(used_tables) == len(event.fixed) and len(people) == len(set(people))


# ---------------------------------------------------------------- split files and scale


def test_split_sample_of_1500_reads_clean(tmp_path: Path) -> None:
    paths = write_example(tmp_path / "big.xlsx", attendees=1500, seed=3, split=True)
    assert [p.name for p in paths] == ["big-registration.xlsx", "big-requests.xlsx"]
    assert list(contents(paths[0])) == REGISTRATION_SHEETS
    requests = contents(paths[1])
    assert list(requests) == ["Requests"]
    assert 6.5 <= (len(requests["Requests"]) - 1) / 1500 <= 8.5
    result = read_event(paths)
    assert result.warnings == ()
    assert len(result.event.attendees) == 1500
    assert sum(a.host for a in result.event.attendees) >= 10
