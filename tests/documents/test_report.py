from __future__ import annotations

import dataclasses
import html as html_lib
import re

from scheduler.documents import render_report
from scheduler.schedule import Schedule


def text_of(html: str) -> str:
    """What a reader sees: tags and inline charts removed, spaces collapsed."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    html = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_report_is_self_contained(tiny, tmp_path):
    event, schedule = tiny
    html = render_report(event, schedule, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert not re.search(r"url\((?!#)", html)  # only in-document references (SVG clip paths)
    assert html.count("<svg") >= 4  # histogram, by priority, by delegation, table use


def test_report_shows_the_key_figures(tiny, tmp_path):
    event, schedule = tiny
    text = text_of(render_report(event, schedule, tmp_path / "report.html").read_text(encoding="utf-8"))
    assert "SEUS-CP 2017 — schedule report" in text
    assert "9 standard score" in text and "11 proven upper bound" in text
    assert "18.2% gap to the bound" in text
    assert "3 meetings" in text and "3 of 4 requests met" in text
    assert "FEASIBLE solver status" in text and "1.5 s solve time" in text
    # by priority: Priority, Requests, Met, Met share, Mutual, Mutual met
    assert "High 1 1 100% 1 1" in text and "Medium 2 1 50% 0 0" in text and "Low 1 1 100% 0 0" in text


def test_report_shows_satisfaction_worst_off_unscheduled_and_sessions(tiny, tmp_path):
    event, schedule = tiny
    text = text_of(render_report(event, schedule, tmp_path / "report.html").read_text(encoding="utf-8"))
    # Delegation, Attendees, Requests made, Met, Met share
    assert "Quebec 3 3 2 67%" in text and "North Carolina 1 1 1 100%" in text
    # Bob and Hélène each got one of their two requests; everyone else got all theirs.
    worst = text[text.index("Worst-off attendees"):text.index("Unscheduled requests")]
    assert "Bob Jones Carolina Tech & Co North Carolina 2 1 50% 0 1" in worst
    assert "Hélène Gagné Lévis Innovation Quebec 2 1 50% 0 1" in worst
    assert "John Smith" not in worst
    assert "1 request got no meeting" in text and "no common free time 1" in text
    assert "Bob Jones (Carolina Tech & Co) Hélène Gagné (Lévis Innovation) Medium no common free time" in text
    assert "Electric vehicles in the Southeast Automotive Monday, June 5, 2017 13:00 – 14:30 Salon Québec 80 2" in text


def test_report_is_deterministic_and_survives_an_empty_schedule(tiny, tmp_path):
    event, schedule = tiny
    first = render_report(event, schedule, tmp_path / "a.html").read_bytes()
    assert render_report(event, schedule, tmp_path / "b.html").read_bytes() == first
    empty = render_report(event, Schedule(), tmp_path / "empty.html").read_text(encoding="utf-8")
    assert "0 of 4 requests met" in text_of(empty)


def test_report_says_who_got_french_agendas(kit, tmp_path):
    attendees = [dataclasses.replace(a, languages=("French",)) if a.id == "Q02" else
                 dataclasses.replace(a, agenda_language="fr") if a.id == "Q03" else a for a in kit.tiny_attendees()]
    event = kit.make_event(attendees, kit.tiny_blocks(), kit.tiny_requests())
    text = text_of(render_report(event, kit.tiny_schedule(event), tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "2 attendees got French agendas and calendars" in text
    assert "Q02 Émilie Côté Montréal Export Quebec speaks French, not English" in text
    assert "Q03 François Lévesque Québec Métal Quebec Agenda language column" in text
    assert "Hélène Gagné Lévis" not in text.split("Agenda languages")[1]  # speaks both: English


def test_report_says_when_every_agenda_is_english(tiny, tmp_path):
    text = text_of(render_report(*tiny, tmp_path / "r.html").read_text(encoding="utf-8"))
    assert "Every agenda and calendar is in English." in text
