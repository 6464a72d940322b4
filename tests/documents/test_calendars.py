from __future__ import annotations

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from scheduler.documents import render_calendars
from scheduler.documents.calendars import fold
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
    render_calendars(event, schedule, tmp_path / "one")
    render_calendars(event, schedule, tmp_path / "two")
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


def test_fold_never_cuts_a_character():
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    assert all(len(part) <= 75 for part in folded.split(b"\r\n"))
    assert folded.decode("utf-8").replace("\r\n ", "").rstrip("\r\n") == line


def test_stale_calendars_are_removed(tiny, tmp_path):
    event, schedule = tiny
    render_calendars(event, schedule, tmp_path)
    render_calendars(dataclasses.replace(event, attendees=event.attendees[:-1]), schedule, tmp_path)
    assert not (tmp_path / "q03.ics").exists() and (tmp_path / "q01.ics").exists()
