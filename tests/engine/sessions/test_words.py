"""Plain words in the sessions' reasons."""

from __future__ import annotations

from support.session_events import at, event, periods, person, room

from scheduler.engine.sessions.words import both_or_all, session_label, when
from scheduler.engine.sessions.words import person as person_text
from scheduler.model import Session
from scheduler.problems import join_words


def test_lists_periods_and_labels_read_as_sentences() -> None:
    assert join_words([]) == "" and join_words(["a"]) == "a" and join_words(["a", "b", "c"]) == "a, b and c"
    assert when(periods((at(9), at(10, 30)))[0]) == "2017-06-05 09:00–10:30"
    assert session_label(Session("S1", "Batteries")) == "session S1 (Batteries)"
    assert both_or_all([1, 2]) == "both" and both_or_all([1, 2, 3]) == "all"


def test_a_person_is_named_by_id_and_name() -> None:
    ev = event(periods((at(9), at(10))), (room("R", 5),), (), (person("ann"),))
    assert person_text(ev, "ann") == "ann (ANN)"
    assert person_text(ev, "ghost") == "ghost"
