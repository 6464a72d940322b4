from __future__ import annotations

import dataclasses

from pypdf import PdfReader

from scheduler.documents import render_rooms, render_tables
from scheduler.schedule import Meeting, Schedule


def pages_text(path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_one_sign_per_table_and_day_with_meetings(tiny, tmp_path):
    event, schedule = tiny
    pages = pages_text(render_tables(event, schedule, tmp_path / "tables.pdf"))
    assert len(pages) == 3  # day 1: T1, T2; day 2: T3
    assert [("Table 1" in p, "Table 2" in p, "Table 3" in p) for p in pages] == [
        (True, False, False), (False, True, False), (False, False, True)]
    t1 = pages[0]
    assert "Ballroom" in t1 and "Monday, June 5, 2017" in t1
    assert "09:30 – 09:50 John Smith Peach Motors Hélène Gagné Lévis Innovation" in t1
    assert "09:55 – 10:15 free" in t1  # free slots are listed too
    assert "Tennessee Team Mary Brown, Sam Green Volunteer Energy" in pages[1]
    assert "Tuesday, June 6, 2017" in pages[2] and "Bob Jones" in pages[2]


def test_long_sign_continues_with_its_header(kit, tmp_path):
    event = kit.make_event(kit.tiny_attendees(),
                           [kit.block(kit.DAY1, "7:00", "23:30", "Meetings")], kit.tiny_requests())
    meetings = tuple(Meeting("g01", "q01", s.index, "Ballroom", 1) for s in event.slots)
    pages = pages_text(render_tables(event, Schedule(meetings=meetings), tmp_path / "tables.pdf"))
    assert len(pages) >= 2
    header = "Time / Heure Meetings / Rencontres · Ballroom · Table 1 · 2017-06-05"  # Hélène speaks French
    assert all(p.count(header) == 1 for p in pages)  # the header row repeats
    assert sum(p.count("John Smith") for p in pages) == len(event.slots)


def test_door_sheet_per_session_room_and_day(tiny, tmp_path):
    event, schedule = tiny
    pages = pages_text(render_rooms(event, schedule, tmp_path / "rooms.pdf"))
    assert len(pages) == 1
    sheet = pages[0]
    assert "Salon Québec" in sheet and "Monday, June 5, 2017" in sheet
    assert "13:00 – 14:30 Electric vehicles in the Southeast" in sheet
    assert "Track / Volet: Automotive" in sheet and "John Smith, Peach Motors" in sheet
    assert "Speakers / Conférenciers" in sheet and "lundi 5 juin 2017" in sheet


def test_nothing_scheduled_still_gives_a_readable_page(tiny, tmp_path):
    event, _ = tiny
    tables = pages_text(render_tables(event, Schedule(), tmp_path / "t.pdf"))
    rooms = pages_text(render_rooms(event, Schedule(), tmp_path / "r.pdf"))
    assert len(tables) == 1 and "No meetings are scheduled." in tables[0]
    assert len(rooms) == 1 and "No sessions are scheduled." in rooms[0]


def test_signs_are_bilingual_only_when_someone_speaks_french(kit, tmp_path):
    event = kit.make_event(kit.tiny_attendees(), kit.tiny_blocks(), kit.tiny_requests())
    schedule = kit.tiny_schedule(event)
    bilingual = pages_text(render_tables(event, schedule, tmp_path / "fr.pdf"))[0]
    assert "Monday, June 5, 2017 lundi 5 juin 2017" in bilingual
    assert "09:55 – 10:15 free / libre" in bilingual
    english_only = [dataclasses.replace(a, languages=("English",)) for a in kit.tiny_attendees()]
    event = kit.make_event(english_only, kit.tiny_blocks(), kit.tiny_requests())
    english = pages_text(render_tables(event, kit.tiny_schedule(event), tmp_path / "en.pdf"))[0]
    assert "Time Meetings · Ballroom · Table 1 · Monday, June 5, 2017" in english
    assert "lundi" not in english and "libre" not in english and "Heure" not in english
