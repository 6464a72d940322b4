from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from scheduler.documents import render_calendars
from scheduler.documents.calendars import HISTORY, read_history
from scheduler.schedule import Meeting


def read(path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events_of(cal: Calendar) -> dict[str, object]:
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_one_calendar_per_attendee_with_its_time_zone(tiny, tmp_path):
    event, schedule = tiny
    paths = render_calendars(event, schedule, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{a.id.lower()}.ics" for a in event.attendees)
    cal = read(tmp_path / "g01.ics")
    zones = cal.walk("VTIMEZONE")
    assert [str(z["tzid"]) for z in zones] == ["America/Toronto"]
    toronto = ZoneInfo("America/Toronto")
    for entry in cal.walk("VEVENT"):
        assert entry["dtstart"].params["TZID"] == "America/Toronto"
        assert entry.decoded("dtstart").utcoffset() == toronto.utcoffset(datetime(2017, 6, 5))
    assert b"TZID=America/Toronto" in (tmp_path / "g01.ics").read_bytes()


def test_meetings_sessions_and_plenaries_read_back(tiny, tmp_path):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path)
    john = events_of(read(tmp_path / "g01.ics"))
    assert set(john) == {"Meeting: Hélène Gagné (Lévis Innovation)", "Meeting: Bob Jones (Carolina Tech & Co)",
                         "Session: Electric vehicles in the Southeast (speaker)", "Plenary: Opening plenary"}
    meeting = john["Meeting: Hélène Gagné (Lévis Innovation)"]
    assert str(meeting["location"]) == "Ballroom, table T1"
    assert "Note: Battery supply chain" in str(meeting["description"])
    assert "Directrice générale, Lévis Innovation (Quebec)" in str(meeting["description"])
    assert meeting.decoded("dtstart") == datetime(2017, 6, 5, 9, 30, tzinfo=ZoneInfo("America/Toronto"))
    assert meeting.decoded("dtend") == datetime(2017, 6, 5, 9, 50, tzinfo=ZoneInfo("America/Toronto"))
    assert str(john["Session: Electric vehicles in the Southeast (speaker)"]["location"]) == "Salon Québec"


def test_team_members_share_the_team_meeting(tiny, tmp_path):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path)
    mary = events_of(read(tmp_path / "t01.ics"))["Meeting: Émilie Côté (Montréal Export)"]
    sam = events_of(read(tmp_path / "t02.ics"))["Meeting: Émilie Côté (Montréal Export)"]
    assert mary["uid"] == sam["uid"]
    emilie = read(tmp_path / "q02.ics")
    assert "Meeting: Mary Brown, Sam Green (Volunteer Energy)" in events_of(emilie)


def test_uids_are_stable_and_a_moved_meeting_keeps_its_uid(tiny, tmp_path):
    event, schedule = tiny
    stamp = datetime(2017, 5, 1, 12, tzinfo=ZoneInfo("UTC"))
    render_calendars(event, schedule, tmp_path / "one", stamp=stamp)
    render_calendars(event, schedule, tmp_path / "two", stamp=stamp)
    for name in ("g01.ics", "q01.ics", "t01.ics"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    moved = dataclasses.replace(schedule, meetings=(Meeting("g01", "q01", 4, "Ballroom", 2),
                                                    *schedule.meetings[1:]))
    render_calendars(event, moved, tmp_path / "moved")
    before = events_of(read(tmp_path / "one" / "q01.ics"))["Meeting: John Smith (Peach Motors)"]
    after = events_of(read(tmp_path / "moved" / "q01.ics"))["Meeting: John Smith (Peach Motors)"]
    assert before["uid"] == after["uid"]
    assert before.decoded("dtstart") != after.decoded("dtstart")
    assert str(after["location"]) == "Ballroom, table T2"


def test_departed_attendee_gets_no_plenary_after_leaving(tiny, tmp_path):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path)
    assert list(events_of(read(tmp_path / "q03.ics"))) == ["Plenary: Opening plenary"]


def test_long_text_is_folded_and_reads_back_whole(tiny, tmp_path):
    event, schedule = tiny
    note = "Élaborer; une stratégie, commune — " * 8
    requests = tuple(dataclasses.replace(q, note=note) if q.pair == ("g01", "q01") else q for q in event.requests)
    event = dataclasses.replace(event, requests=requests)
    render_calendars(event, schedule, tmp_path)
    data = (tmp_path / "q01.ics").read_bytes()
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    meeting = events_of(read(tmp_path / "q01.ics"))["Meeting: John Smith (Peach Motors)"]
    assert f"Note: {note}" in str(meeting["description"])


def test_stale_calendars_are_removed(tiny, tmp_path):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path)
    render_calendars(dataclasses.replace(event, attendees=event.attendees[:-1]), schedule, tmp_path)
    assert not (tmp_path / "q03.ics").exists() and (tmp_path / "q01.ics").exists()


def test_dtstamp_is_the_time_of_writing(tiny, tmp_path):
    event, schedule = tiny
    before = datetime.now(ZoneInfo("UTC")).replace(microsecond=0)
    render_calendars(event, schedule, tmp_path)
    stamps = {e.decoded("dtstamp") for e in read(tmp_path / "g01.ics").walk("VEVENT")}
    assert len(stamps) == 1 and before <= stamps.pop() <= datetime.now(ZoneInfo("UTC"))


# ---------------------------------------------------------------- a calendar after a change


class Store:
    """A calendar client's store as RFC 5545/5546 describe it: entries by UID; a revision with a
    higher SEQUENCE replaces the entry, one with the same SEQUENCE only if its time and status are
    the same (a changed time without a raised SEQUENCE is not a valid revision, and is ignored);
    a lower SEQUENCE is stale; STATUS:CANCELLED removes the entry."""

    def __init__(self) -> None:
        self.entries: dict[str, object] = {}
        self.sequence: dict[str, int] = {}

    def import_file(self, path) -> None:
        for entry in read(path).walk("VEVENT"):
            ident, sequence = str(entry["uid"]), int(entry.get("sequence", 0))
            held = self.sequence.get(ident)
            if held is not None and (sequence < held or (sequence == held and self._significant(ident, entry))):
                continue
            self.sequence[ident] = sequence
            if str(entry.get("status", "")).upper() == "CANCELLED":
                self.entries.pop(ident, None)
            else:
                self.entries[ident] = entry

    def _significant(self, ident: str, entry) -> bool:
        held = self.entries.get(ident)
        fields = ("dtstart", "dtend")
        if held is None:
            return str(entry.get("status", "")).upper() != "CANCELLED"
        return any(held.decoded(f) != entry.decoded(f) for f in fields) or "status" in entry and str(
            entry["status"]).upper() == "CANCELLED"

    def shown(self) -> set[tuple[str, datetime, datetime, str]]:
        return {(str(e["summary"]), e.decoded("dtstart"), e.decoded("dtend"), str(e.get("location", "")))
                for e in self.entries.values()}


def agenda_of(event, schedule, key) -> set[tuple[str, datetime, datetime, str]]:
    from scheduler.documents.calendars import Calendars
    from scheduler.documents.common import Program

    return {(e.summary, e.start, e.end, e.location) for e in Calendars(Program(event, schedule)).entries(key)}


def version_two(tiny, tmp_path, change):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path / "v1" / "calendars", history_out=tmp_path / "v1" / HISTORY)
    new = dataclasses.replace(schedule, meetings=change(schedule.meetings))
    render_calendars(event, new, tmp_path / "v2" / "calendars", previous=tmp_path / "v1",
                     history_out=tmp_path / "v2" / HISTORY)
    return event, new


def imported(tmp_path, name: str) -> Store:
    store = Store()
    store.import_file(tmp_path / "v1" / "calendars" / name)
    store.import_file(tmp_path / "v2" / "calendars" / name)
    return store


def test_a_moved_meeting_updates_the_entry(tiny, tmp_path):
    event, new = version_two(tiny, tmp_path, lambda ms: (Meeting("g01", "q01", 4, "Ballroom", 2), *ms[1:]))
    for key in ("g01", "q01"):
        assert imported(tmp_path, f"{key}.ics").shown() == agenda_of(event, new, key)
    moved = [e for e in read(tmp_path / "v2" / "calendars" / "q01.ics").walk("VEVENT") if "John Smith" in str(e["summary"])]
    assert [int(e["sequence"]) for e in moved] == [1]
    untouched = [e for e in read(tmp_path / "v2" / "calendars" / "q01.ics").walk("VEVENT") if "Bob" in str(e["summary"])]
    assert all(int(e["sequence"]) == 0 for e in untouched)


def test_a_dropped_meeting_is_cancelled_and_stays_cancelled(tiny, tmp_path):
    event, new = version_two(tiny, tmp_path, lambda ms: ms[1:])
    store = imported(tmp_path, "q01.ics")
    assert store.shown() == agenda_of(event, new, "q01")
    assert not any("John Smith" in summary for summary, *_ in store.shown())
    gone = [e for e in read(tmp_path / "v2" / "calendars" / "q01.ics").walk("VEVENT") if str(e["status"]) == "CANCELLED"]
    assert [(str(e["summary"]), int(e["sequence"])) for e in gone] == [("Meeting: John Smith (Peach Motors)", 1)]
    # A third version still carries the cancelled UID, unchanged: a phone that missed v2 removes it too.
    render_calendars(event, new, tmp_path / "v3" / "calendars", previous=tmp_path / "v2")
    assert set(read_history(tmp_path / "v3" / "calendars" / "q01.ics")) == set(read_history(tmp_path / "v1" / "calendars" / "q01.ics"))
    late = Store()
    late.import_file(tmp_path / "v1" / "calendars" / "q01.ics")
    late.import_file(tmp_path / "v3" / "calendars" / "q01.ics")
    assert late.shown() == agenda_of(event, new, "q01")


def test_an_added_meeting_appears(tiny, tmp_path):
    event, new = version_two(tiny, tmp_path, lambda ms: (*ms, Meeting("n01", "q01", 6, "Ballroom", 1)))
    for key in ("n01", "q01"):
        assert imported(tmp_path, f"{key}.ics").shown() == agenda_of(event, new, key)


def test_the_model_store_catches_a_move_without_a_new_sequence(tiny, tmp_path):
    """The store is strict enough to fail a calendar that forgets SEQUENCE."""
    event, new = version_two(tiny, tmp_path, lambda ms: (Meeting("g01", "q01", 4, "Ballroom", 2), *ms[1:]))
    path = tmp_path / "v2" / "calendars" / "q01.ics"
    path.write_bytes(path.read_bytes().replace(b"SEQUENCE:1", b"SEQUENCE:0"))
    assert imported(tmp_path, "q01.ics").shown() != agenda_of(event, new, "q01")


def test_a_french_only_attendee_gets_a_french_calendar(kit, tmp_path):
    attendees = [dataclasses.replace(a, languages=("French",)) if a.id == "Q02" else a
                 for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    render_calendars(event, kit.tiny_schedule(event), tmp_path)
    emilie = events_of(read(tmp_path / "q02.ics"))
    meeting = emilie["Rencontre\u00a0: Mary Brown, Sam Green (Volunteer Energy)"]
    assert str(meeting["location"]) == "Ballroom, table T2"
    assert "Équipe Tennessee Team\u00a0:" in str(meeting["description"])
    assert "Séance\u00a0: Electric vehicles in the Southeast" in emilie
    assert "Plénière\u00a0: Opening plenary" in emilie
    john = events_of(read(tmp_path / "g01.ics"))  # listed in the same session: his entry stays English
    assert "Session: Electric vehicles in the Southeast (speaker)" in john


def test_a_folder_without_the_history_index_is_read_from_its_calendar_files(tiny, tmp_path):
    """Outputs written before calendar-history.json existed still give the history."""
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path / "v1" / "calendars")  # no index
    render_calendars(event, schedule.__class__(meetings=schedule.meetings[1:]), tmp_path / "v2" / "calendars",
                     previous=tmp_path / "v1", only=set())
    gone = [e for e in read(tmp_path / "v2" / "calendars" / "q01.ics").walk("VEVENT")
            if str(e["status"]) == "CANCELLED"]
    assert [str(e["summary"]) for e in gone] == ["Meeting: John Smith (Peach Motors)"]


def test_unchanged_attendees_files_are_copied_from_the_previous_run(tiny, tmp_path):
    event, schedule = tiny
    version_two(tiny, tmp_path, lambda ms: ms)  # v1, then v2 with the same schedule
    render_calendars(event, schedule, tmp_path / "v3" / "calendars", previous=tmp_path / "v2", only={"q01"},
                     history_out=tmp_path / "v3" / HISTORY)
    same = (tmp_path / "v3" / "calendars" / "g01.ics").read_bytes()
    assert same == (tmp_path / "v2" / "calendars" / "g01.ics").read_bytes()
    import json

    history = [json.loads((tmp_path / v / HISTORY).read_text())["calendars"]["g01"] for v in ("v2", "v3")]
    assert history[0] == history[1] and history[0]
