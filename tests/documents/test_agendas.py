from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from pypdf import PdfReader

from scheduler.changes import Change, Notice, Place
from scheduler.documents import render_agendas
from scheduler.documents.agendas import Print, render_agenda_files
from scheduler.documents.pdfsplit import RawPdf
from scheduler.model import Request
from scheduler.schedule import Meeting, Schedule


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


SINGLE_SIDED = Print(duplex=False)


def test_one_page_per_attendee_by_delegation_then_surname(tiny, tmp_path):
    event, schedule = tiny
    pages = pages_text(render_agendas(event, schedule, tmp_path / "agendas.pdf", printing=SINGLE_SIDED))
    assert len(pages) == 7
    names = [text.splitlines()[0] for text in pages]
    assert names == ["John Smith", "Bob Jones", "Émilie Côté", "Hélène Gagné", "François Lévesque",
                     "Mary Brown", "Sam Green"]


def test_surnames_with_particles_sort_under_the_family_name():
    from scheduler.documents.common import surname

    assert surname("Ludwig van Beethoven") == "van Beethoven"
    assert surname("Jean de la Fontaine") == "de la Fontaine"
    assert surname("Cher") == "Cher"


def test_duplex_starts_every_agenda_on_an_odd_page(long_agenda, tmp_path):
    event, schedule = long_agenda
    path = tmp_path / "agendas.pdf"
    files = render_agenda_files(event, schedule, tmp_path / "agendas", combined=path)
    pages = pages_text(path)
    starts = [n for n, text in enumerate(pages, start=1) if text.strip() and "— continued" not in text]
    assert len(starts) == len(event.attendees) and all(n % 2 == 1 for n in starts)
    blanks = [n for n, text in enumerate(pages, start=1) if not text.strip()]
    assert blanks and all(n % 2 == 0 for n in blanks)
    # The personal files leave the blank backs out.
    assert sum(len(PdfReader(p).pages) for p in files) == len(pages) - len(blanks)
    assert all(text.strip() for p in files for text in pages_text(p))


def test_a_revised_agenda_says_so_on_every_page_and_lists_the_changes(long_agenda, tmp_path):
    from datetime import date, datetime

    event, schedule = long_agenda
    at = Place(datetime(2017, 6, 6, 11), datetime(2017, 6, 6, 11, 20), "Ballroom", "T2")

    def day5(hour: int) -> Place:
        return Place(datetime(2017, 6, 5, hour), datetime(2017, 6, 5, hour, 20), "Ballroom", "T4")
    changes = [
        Change("Q01", "Hélène Gagné", "moved", "Guest Number 3", "2017-06-05 9:00, Ballroom T1",
               "2017-06-05 11:00, Ballroom T2", "a rule the organizer reads",
               before=Place(datetime(2017, 6, 5, 9), datetime(2017, 6, 5, 9, 20), "Ballroom", "T1"),
               after=Place(datetime(2017, 6, 5, 11), datetime(2017, 6, 5, 11, 20), "Ballroom", "T2")),
        Change("Q01", "Hélène Gagné", "dropped", "Guest Number 99", "2017-06-06 9:00, Ballroom T3",
               "", "Guest Number 99 is no longer registered (cancelled)",
               before=Place(datetime(2017, 6, 6, 9), datetime(2017, 6, 6, 9, 20), "Ballroom", "T3"),
               notice=(Notice("{who} has cancelled", "{who} have cancelled", ("Guest Number 99",)),)),
        Change("Q01", "Hélène Gagné", "added", "Guest Number 5", "", "2017-06-06 10:00, Ballroom T1",
               after=Place(datetime(2017, 6, 6, 10), datetime(2017, 6, 6, 10, 20), "Ballroom", "T1")),
        Change("Q01", "Hélène Gagné", "changed", "Acme team", "2017-06-06 11:00, Ballroom T2",
               "2017-06-06 11:00, Ballroom T2", "G1 now comes too", before=at, after=at,
               notice=(Notice("{who} will also attend", "{who} will also attend", ("Gil Ray", "Ann Lee")),)),
        Change("Q01", "Hélène Gagné", "dropped", "Guest Number 7", "2017-06-04 9:00, Old Hall T9", "",
               "row 5 of the previous schedule cannot be kept: T9 is not a table of Old Hall"),
        # Moved, and its other side changed: one line.
        Change("Q01", "Hélène Gagné", "moved", "Delta team", "2017-06-05 13:00, Ballroom T4",
               "2017-06-05 14:00, Ballroom T4", counterpart_id="D1, D2", before=day5(13), after=day5(14)),
        Change("Q01", "Hélène Gagné", "changed", "Delta team", "2017-06-05 13:00, Ballroom T4",
               "2017-06-05 14:00, Ballroom T4", counterpart_id="D1, D2", before=day5(13), after=day5(14),
               notice=(Notice("{who} will also attend", "{who} will also attend", ("Dot Lee",)),)),
    ]
    printing = Print(revised={"q01": changes}, revised_on=date(2017, 6, 1))
    pages = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", ["q01", "g01"], printing=printing))
    helene = [text for text in pages if "Hélène Gagné" in text]
    assert len(helene) >= 2
    assert all("REVISED June 1, 2017" in text for text in helene)
    first = " ".join(helene[0].split())
    assert ("Moved: meeting with Guest Number 3, from Mon, Jun 5, 09:00 – 09:20, Ballroom, Table 1 "
            "to Mon, Jun 5, 11:00 – 11:20, Ballroom, Table 2") in first
    assert ("Cancelled: meeting with Guest Number 99, Tue, Jun 6, 09:00 – 09:20, Ballroom, Table 3 "
            "— Guest Number 99 has cancelled") in first
    assert "Added: meeting with Guest Number 5, Tue, Jun 6, 10:00 – 10:20, Ballroom, Table 1" in first
    assert ("Changed: meeting with Acme team, Tue, Jun 6, 11:00 – 11:20, Ballroom, Table 2 "
            "— Gil Ray and Ann Lee will also attend") in first
    assert ("Changed: meeting with Delta team, from Mon, Jun 5, 13:00 – 13:20, Ballroom, Table 4 to Mon, Jun 5, "
            "14:00 – 14:20, Ballroom, Table 4 — Dot Lee will also attend") in first
    assert "Moved: meeting with Delta team" not in first
    # A place the event no longer has, as the schedule wrote it; no reason the attendee is not told.
    assert "Cancelled: meeting with Guest Number 7, 2017-06-04 9:00, Old Hall T9" in first
    # The organizer's reasons (rules, rows, registrations) stay in changes.xlsx, off the agenda.
    assert not any(s in first for s in ("a rule the organizer reads", "row 5", "registered", "G1"))
    assert first.index("Added:") < first.index("Monday, June 5, 2017")  # above the agenda
    john = [text for text in pages if "John Smith" in text.splitlines()[:1]]
    assert john and not any("REVISED" in text for text in john)


def test_accents_print_and_meetings_show_counterpart_room_table_and_note(tiny, tmp_path):
    event, schedule = tiny
    john = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", attendee_keys=["g01"]))[0]
    assert "SEUS-CP 2017" in john and "Fairmont Royal York" in john
    assert "CEO, Peach Motors (Georgia)" in john
    assert "Meeting with Hélène Gagné" in john
    assert "Directrice générale, Lévis Innovation (Quebec)" in john
    assert "Table 1" in john and "Ballroom" in john
    assert "Note: Battery supply chain" in john
    assert "Session: Electric vehicles in the Southeast [SPEAKER]" in " ".join(john.split())
    assert "Salon Québec" in john
    assert "Plenary: Opening plenary" in john and "Lunch — on the terrace" in john
    # Meetings in time order: day 1 with Hélène before day 2 with Bob.
    assert john.index("Hélène Gagné") < john.index("Tuesday, June 6, 2017") < john.index("Bob Jones")


def test_plenaries_and_breaks_only_on_days_present(tiny, tmp_path):
    event, schedule = tiny
    francois = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", attendee_keys=["q03"]))[0]
    assert "Opening plenary" in francois and "Lunch" in francois
    assert "Tuesday" not in francois and "terrace" not in francois
    assert "0 meetings" in francois


def test_team_members_each_get_the_team_meeting(tiny, tmp_path):
    event, schedule = tiny
    mary, sam = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", attendee_keys=["t01", "t02"],
                                             printing=SINGLE_SIDED))
    for text, mate in ((mary, "Sam Green"), (sam, "Mary Brown")):
        assert "Meeting with Émilie Côté" in text
        assert f"With your team: {mate}" in text
        assert "Note: Hydro exports" in text
    emilie = pages_text(render_agendas(event, schedule, tmp_path / "b.pdf", attendee_keys=["q02"]))[0]
    assert "Meeting with team Tennessee Team" in emilie
    assert "Mary Brown — Director, Volunteer Energy" in emilie and "Sam Green — Engineer" in emilie


def test_long_agenda_continues_with_repeated_headers_and_nothing_lost(long_agenda, tmp_path):
    event, schedule = long_agenda
    pages = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", attendee_keys=["q01"]))
    assert len(pages) >= 2
    assert "Hélène Gagné — continued" not in pages[0]
    for text in pages[1:]:
        assert "Hélène Gagné — continued" in text
    assert "Monday, June 5, 2017 (continued)" in pages[1]  # the day's heading row, repeated
    assert "continued on the next page" in pages[0] and "continued on the next page" not in pages[-1]
    everything = "\n".join(pages)
    for k in range(40):
        assert everything.count(f"Meeting with Guest Number {k}\n") == 1
        assert f"Note: Topic {k}\n" in everything


def test_a_row_taller_than_a_page_is_cut_not_clipped(kit, tmp_path):
    crowd = [kit.person(f"C{i:02d}", f"Crowd Member {i}", "Big Team Inc", "Analyst", "Ontario", team="crowd")
             for i in range(90)]
    event = kit.make_event(kit.tiny_attendees() + crowd, kit.tiny_blocks(), [Request("q01", "team:crowd", 1)])
    schedule = Schedule(meetings=(Meeting("q01", "team:crowd", 2, "Ballroom", 1),))
    pages = pages_text(render_agendas(event, schedule, tmp_path / "a.pdf", attendee_keys=["q01"]))
    assert len(pages) >= 2
    everything = "\n".join(pages)
    for i in range(90):
        assert f"Crowd Member {i} —" in everything


def test_paper_size_from_settings(kit, tmp_path):
    event = kit.make_event(kit.tiny_attendees(), kit.tiny_blocks(), kit.tiny_requests(), paper_size="A4")
    reader = PdfReader(render_agendas(event, kit.tiny_schedule(event), tmp_path / "a.pdf"))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_same_inputs_same_bytes(tiny, tmp_path):
    event, schedule = tiny
    first = render_agendas(event, schedule, tmp_path / "one.pdf").read_bytes()
    assert render_agendas(event, schedule, tmp_path / "two.pdf").read_bytes() == first


def test_one_file_per_attendee_matches_the_big_pdf(tiny, tmp_path):
    event, schedule = tiny
    paths = render_agenda_files(event, schedule, tmp_path / "agendas", combined=tmp_path / "agendas.pdf",
                                printing=SINGLE_SIDED)
    assert sorted(p.name for p in paths) == sorted(f"{a.id.lower()}.pdf" for a in event.attendees)
    for path in paths:
        reader = PdfReader(path, strict=True)
        assert len(reader.pages) == 1
        assert event.settings.name in reader.metadata.title
    helene = pages_text(tmp_path / "agendas" / "q01.pdf")[0]
    assert helene.splitlines()[0] == "Hélène Gagné"
    assert "Meeting with John Smith" in helene


def test_long_agenda_file_keeps_all_its_pages(long_agenda, tmp_path):
    event, schedule = long_agenda
    paths = render_agenda_files(event, schedule, tmp_path / "agendas", combined=tmp_path / "all.pdf",
                                printing=SINGLE_SIDED)
    total = len(PdfReader(tmp_path / "all.pdf").pages)
    assert sum(len(PdfReader(p).pages) for p in paths) == total
    helene = pages_text(tmp_path / "agendas" / "q01.pdf")
    assert len(helene) >= 2 and "Hélène Gagné — continued" in helene[1]
    assert "Guest Number 39" in helene[-1] or any("Guest Number 39" in t for t in helene)


def test_stale_agenda_files_are_removed(tiny, tmp_path):
    event, schedule = tiny
    render_agenda_files(event, schedule, tmp_path)
    fewer = dataclasses.replace(event, attendees=event.attendees[:-1])  # François leaves the event
    render_agenda_files(fewer, schedule, tmp_path)
    assert not (tmp_path / "q03.pdf").exists()
    assert (tmp_path / "q01.pdf").exists()


def test_ids_that_slug_alike_get_distinct_files(kit, tmp_path):
    people = [kit.person("A 1", "First Person", "X", "", "Ohio"), kit.person("A-1", "Second Person", "Y", "", "Ohio")]
    event = kit.make_event(people, kit.tiny_blocks(), [])
    paths = render_agenda_files(event, Schedule(), tmp_path)
    assert sorted(p.name for p in paths) == ["a-1-2.pdf", "a-1.pdf"]


def test_raw_split_refuses_what_it_does_not_know():
    with pytest.raises(ValueError):
        RawPdf(b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\nstartxref\n9\n%%EOF\n")


def test_pypdf_takes_over_when_the_raw_split_cannot(tiny, tmp_path, monkeypatch):
    event, schedule = tiny

    def refuse(*args: object) -> None:
        raise ValueError("unknown layout")

    monkeypatch.setattr("scheduler.documents.pdfsplit.split", refuse)
    paths = render_agenda_files(event, schedule, tmp_path)
    assert len(paths) == 7
    assert pages_text(tmp_path / "q02.pdf")[0].splitlines()[0] == "Émilie Côté"


def test_no_attendees_no_files(kit, tmp_path):
    event = kit.make_event([], kit.tiny_blocks(), [])
    assert render_agenda_files(event, Schedule(), tmp_path / "agendas", combined=tmp_path / "all.pdf") == []
    assert "No agenda to print." in pages_text(tmp_path / "all.pdf")[0]


def flat(text: str) -> str:
    """Whitespace (CLDR's thin and no-break spaces too) as single spaces."""
    return " ".join(text.split())


def test_french_only_attendee_gets_a_french_agenda_and_the_others_stay_english(kit, tmp_path):
    attendees = [dataclasses.replace(a, languages=("French",)) if a.id == "Q02" else a
                 for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    schedule = kit.tiny_schedule(event)
    emilie = flat(pages_text(render_agendas(event, schedule, tmp_path / "q.pdf", attendee_keys=["q02"]))[0])
    assert "lundi 5 juin 2017" in emilie and "Monday" not in emilie
    assert "9 h 55 – 10 h 15" in emilie
    assert "Rencontre avec l’équipe Tennessee Team" in emilie
    assert "Séance : Electric vehicles in the Southeast" in emilie
    assert "1 rencontre · 1 séance" in emilie and "4–6 juin 2017" not in emilie
    john = flat(pages_text(render_agendas(event, schedule, tmp_path / "g.pdf", attendee_keys=["g01"]))[0])
    assert "Meeting with Hélène Gagné" in john and "Monday, June 5, 2017" in john and "lundi" not in john


def test_agenda_language_column_overrides_the_spoken_languages(kit, tmp_path):
    attendees = [dataclasses.replace(a, agenda_language="fr") if a.id == "G01" else a for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    john = flat(pages_text(render_agendas(event, kit.tiny_schedule(event), tmp_path / "g.pdf",
                                          attendee_keys=["g01"]))[0])
    assert "Rencontre avec Hélène Gagné" in john and "[VOUS PRÉSENTEZ]" in john


def test_a_revised_french_agenda_lists_the_changes_in_french(kit, tmp_path):
    from datetime import date, datetime

    attendees = [dataclasses.replace(a, languages=("French",)) if a.id == "Q02" else a
                 for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    changes = [Change("Q02", "Émilie Côté", "moved", "Tennessee Team", "2017-06-05 9:30, Ballroom T1",
                      "2017-06-05 9:55, Ballroom T2",
                      before=Place(datetime(2017, 6, 5, 9, 30), datetime(2017, 6, 5, 9, 50), "Ballroom", "T1"),
                      after=Place(datetime(2017, 6, 5, 9, 55), datetime(2017, 6, 5, 10, 15), "Ballroom", "T2")),
               Change("Q02", "Émilie Côté", "dropped", "Acme", "2017-06-06 9:00, Ballroom T3", "",
                      "Acme is no longer registered (cancelled)",
                      before=Place(datetime(2017, 6, 6, 9), datetime(2017, 6, 6, 9, 20), "Ballroom", "T3"),
                      notice=(Notice("{who} will no longer attend", "{who} will no longer attend",
                                     ("Gil Ray", "Ann Lee")),
                              Notice("the team {who} keeps this meeting without you", who=("Acme",)))),
               Change("Q02", "Émilie Côté", "session moved", "Batteries", "", "",
                      before=Place(datetime(2017, 6, 5, 14), datetime(2017, 6, 5, 15), "Salon A"),
                      after=Place(datetime(2017, 6, 6, 14), datetime(2017, 6, 6, 15), "Salon B"))]
    printing = Print(revised={"q02": changes}, revised_on=date(2017, 6, 1), duplex=False)
    page = flat(pages_text(render_agendas(event, kit.tiny_schedule(event), tmp_path / "q.pdf", ["q02"],
                                          printing=printing))[0])
    assert "RÉVISÉ LE 1 juin 2017" in page and "Révisé le jeudi 1 juin 2017" in page
    assert ("Déplacement : rencontre avec Tennessee Team, du lun. 5 juin, 9 h 30 – 9 h 50, Ballroom, Table 1 "
            "au lun. 5 juin, 9 h 55 – 10 h 15, Ballroom, Table 2") in page
    assert ("Gil Ray et Ann Lee ne participeront plus à la rencontre; "
            "l’équipe Acme garde cette rencontre sans vous") in page
    assert "du lun. 5 juin, 14 h 00 – 15 h 00, Salon A au mar. 6 juin, 14 h 00 – 15 h 00, Salon B" in page
    assert "registered" not in page


def test_a_long_name_is_cut_in_the_footer_rather_than_run_into_the_page_number(kit, tmp_path):
    from scheduler.documents.text import FONT, clipped, register_fonts, text_width

    register_fonts()
    long = "Bartholomew Maximilian Fitzgerald-Worthington-Smythe the Third of Upper Canada and the Maritimes"
    assert clipped(FONT, long, 8, 200).endswith("…") and text_width(FONT, clipped(FONT, long, 8, 200), 8) <= 200
    assert clipped(FONT, "Ann Lee", 8, 200) == "Ann Lee"
    long = f"{long}, {long}"  # longer than the footer has room for beside "page 1"
    attendees = [dataclasses.replace(a, name=long) if a.id == "Q02" else a for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    page = pages_text(render_agendas(event, kit.tiny_schedule(event), tmp_path / "q.pdf", ["q02"],
                                     printing=SINGLE_SIDED))[0]
    footer = [line for line in page.splitlines() if "page 1" in line]
    assert footer and "…" in footer[-1] and long not in footer[-1]
