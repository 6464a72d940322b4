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
