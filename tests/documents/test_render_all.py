from __future__ import annotations

from pypdf import PdfReader

from scheduler.documents import render_all


def test_render_all_writes_every_document(tiny, tmp_path):
    event, schedule = tiny
    paths = render_all(event, schedule, tmp_path / "out", duplex=False)
    out = tmp_path / "out"
    for name in ("agendas.pdf", "tables.pdf", "rooms.pdf", "report.html"):
        assert (out / name) in paths and (out / name).stat().st_size > 0
    assert sorted(p.name for p in (out / "agendas").iterdir()) == sorted(f"{a.id.lower()}.pdf" for a in event.attendees)
    assert sorted(p.name for p in (out / "calendars").iterdir()) == sorted(f"{a.id.lower()}.ics" for a in event.attendees)
    assert all(p.exists() for p in paths)
    assert not (out / "agendas-changed.pdf").exists()
    assert len(PdfReader(out / "agendas.pdf").pages) == len(event.attendees)


def test_only_adds_the_changed_agendas(tiny, tmp_path):
    event, schedule = tiny
    render_all(event, schedule, tmp_path, only={"Q01", "t02"}, duplex=False)
    pages = [p.extract_text().splitlines()[0] for p in PdfReader(tmp_path / "agendas-changed.pdf").pages]
    assert pages == ["Hélène Gagné", "Sam Green"]
    assert len(PdfReader(tmp_path / "agendas.pdf").pages) == len(event.attendees)


def test_only_accepts_a_team(tiny, tmp_path):
    event, schedule = tiny
    render_all(event, schedule, tmp_path, only=["team:tennessee team"], duplex=False)
    pages = [p.extract_text().splitlines()[0] for p in PdfReader(tmp_path / "agendas-changed.pdf").pages]
    assert pages == ["Mary Brown", "Sam Green"]


def test_names_with_math_signs_markup_and_line_breaks_cannot_break_a_document(tmp_path):
    """Events built in code skip the reader's cleaning: the documents must cope on their own."""
    from datetime import date

    from scheduler import build
    from scheduler.engine.solve import SolveOptions, solve
    from scheduler.model import Attendee, Room, Settings

    day = date(2017, 6, 5)
    people = [Attendee("A1", "Ann\nLee <b>&amp;", "Acme\r\nInc", delegation="$\\foo$"),
              Attendee("B1", "Bob Roy", "Beta", delegation="Geo\nrgia"),
              Attendee("C1", "$x^2$", "Ceta", delegation="$\\foo$")]
    event = build.event(blocks=[build.block(day, "9:00", "10:15")], rooms=[Room("Hall", "Meetings", None, 5)],
                        attendees=people, asks=[("A1", "B1", 1), ("A1", "C1", 2)],
                        settings=Settings(name="Expo\nTwo", venue="V$x$"))
    schedule = solve(event, SolveOptions(time_limit=2))
    paths = render_all(event, schedule, tmp_path / "out", duplex=False)
    assert len(PdfReader(tmp_path / "out" / "agendas.pdf").pages) == 3
    assert "$\\foo$" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    calendar = (tmp_path / "out" / "calendars" / "a1.ics").read_bytes()
    assert all(not line.startswith(b"Two") for line in calendar.split(b"\r\n"))  # no bare line break
    assert all(p.exists() for p in paths)
