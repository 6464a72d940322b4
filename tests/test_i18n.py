from __future__ import annotations

from datetime import date, datetime

from scheduler.i18n import agenda_language, in_all, words


def test_french_only_speakers_get_french_and_the_column_overrides():
    assert agenda_language(["French"]) == "fr"
    assert agenda_language(["français "]) == "fr"
    assert agenda_language(["French", "English"]) == "en"
    assert agenda_language(["English"]) == "en"
    assert agenda_language(["Spanish"]) == "en"
    assert agenda_language(["French", "English"], "fr") == "fr"
    assert agenda_language(["French"], "en") == "en"


def test_dates_and_times_follow_cldr():
    fr, en = words("fr"), words("en")
    assert fr.day(date(2017, 6, 5)) == "lundi 5 juin 2017"
    assert en.day(date(2017, 6, 5)) == "Monday, June 5, 2017"
    span = fr.span(datetime(2017, 6, 5, 10, 0), datetime(2017, 6, 5, 10, 20))
    assert " ".join(span.replace("\u2009", " ").split()) == "10 h 00 – 10 h 20"
    assert fr.days([date(2017, 6, 6), date(2017, 6, 4)]) == "4–6 juin 2017"


def test_the_french_catalogue_is_compiled_and_used():
    fr = words("fr")
    assert fr.gettext("Nothing is scheduled for you yet.") != "Nothing is scheduled for you yet."
    # French: 0 and 1 take the singular.
    assert fr.ngettext("{count} meeting", "{count} meetings", 0) == fr.ngettext("{count} meeting",
                                                                                  "{count} meetings", 1)
    assert fr.ngettext("{count} meeting", "{count} meetings", 2) != fr.ngettext("{count} meeting",
                                                                                  "{count} meetings", 1)
    assert words("xx").language == "en"  # an unknown language falls back to English


def test_bilingual_labels_say_a_word_once_when_both_languages_write_it_alike():
    fr = words("fr")
    assert in_all("Time") == f"Time / {fr.gettext('Time')}"
    assert in_all("Note") == "Note"
    assert in_all("Table {number}", number=3) == "Table 3"
