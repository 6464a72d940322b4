"""Words in the reader's language: one gettext catalogue, dates and times from CLDR.

Every user-facing string of the documents, the template, the forms and the
web page is written in English in the source and looked up with
:meth:`Words.gettext` (or ``ngettext``); the French is in
``scheduler/locale/fr/LC_MESSAGES/scheduler.po``. A third language is one
more ``.po`` file and one more entry in :data:`LOCALES`, no code.

The ``.po`` files are compiled with Babel when first used, in memory (a few
milliseconds), so there is no compiled ``.mo`` to forget to rebuild and a
plain ``pip install -e .`` works. Day and month names, date and time
patterns come from Babel's CLDR data, never from tables of our own.

French uses the Canadian French conventions (``fr_CA``): the francophone
attendees of the events this was written for come from Quebec and New
Brunswick, and CLDR's fr_CA writes times as « 10 h 00 », as they do.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date, format_interval, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "scheduler"
LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LANGUAGE = "en"
LOCALES = {"en": "en", "fr": "fr_CA"}  # our language code -> the CLDR locale of its dates and times
LANGUAGES = tuple(LOCALES)
# Words that name a language in the Languages column, by our language code (case-folded, accents kept).
LANGUAGE_NAMES = {"en": {"english", "anglais", "en"}, "fr": {"french", "français", "francais", "fr"}}


def N_(message: str) -> str:  # noqa: N802 - the name gettext tools look for
    """Marks a string for the catalogue where it is defined; it is translated where it is used."""
    return message


def NN_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    """Marks a singular and plural pair for the catalogue (translated with ``ngettext`` where used)."""
    return singular, plural


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of ``language``, compiled from its .po with Babel (English: the source strings)."""
    path = po_path(language)
    if language == SOURCE_LANGUAGE or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=LOCALES.get(language, language), domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Words:
    """Everything a document needs to speak one language."""

    language: str

    @property
    def locale(self) -> str:
        return LOCALES.get(self.language, self.language)

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    _ = gettext

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def day(self, day: date) -> str:
        """'Monday, June 5, 2017' / 'lundi 5 juin 2017'."""
        return format_date(day, "full", locale=self.locale)

    def long_date(self, day: date) -> str:
        """'June 5, 2017' / '5 juin 2017'."""
        return format_date(day, "long", locale=self.locale)

    def span(self, start: datetime, end: datetime) -> str:
        """'09:30 – 09:50' / '9 h 30 – 9 h 50' (CLDR's interval pattern for hours and minutes)."""
        text = format_interval(start.time(), end.time(), "Hm", locale=self.locale)
        return text.replace(" ", "\u00a0")  # « 9 h 30 » never breaks inside a time; it may at the dash

    def when(self, start: datetime, end: datetime) -> str:
        """'Mon, Jun 5, 09:30 – 09:50' / 'lun. 5 juin, 9 h 30 – 9 h 50'."""
        return f"{format_skeleton('MMMEd', start, locale=self.locale)}, {self.span(start, end)}"

    def names(self, names: Iterable[str]) -> str:
        """'Ann, Bob and Cy' / 'Ann, Bob et Cy' (CLDR's list pattern)."""
        return format_list(list(names), locale=self.locale)

    def days(self, days: Iterable[date]) -> str:
        """'Jun 4 – 6, 2017' / '4–6 juin 2017': a run of days, as CLDR writes a date interval."""
        days = sorted(days)
        if not days:
            return ""
        return format_interval(days[0], days[-1], "yMMMd", locale=self.locale)


@cache
def words(language: str = SOURCE_LANGUAGE) -> Words:
    return Words(language if language in LOCALES else SOURCE_LANGUAGE)


ENGLISH = words("en")
FRENCH = words("fr")


def spoken(languages: Iterable[str]) -> set[str]:
    """Our language codes among the names of a Languages cell ('French; English' -> {'fr', 'en'})."""
    named = {name.strip().casefold() for name in languages}
    return {code for code, names in LANGUAGE_NAMES.items() if named & names}


def agenda_language(languages: Iterable[str], chosen: str = "") -> str:
    """An attendee's agenda language: ``chosen`` (the Agenda language column) when given;
    else French for someone who speaks French but not English; else English."""
    if chosen:
        return chosen
    codes = spoken(languages)
    return "fr" if "fr" in codes and "en" not in codes else "en"


def in_all(message: str, tongues: Iterable[Words] = (ENGLISH, FRENCH), sep: str = " / ", **values: object) -> str:
    """'Time / Heure': a label in several languages, said once when they write it alike ('Session')."""
    said = (w.gettext(message).format(**values) if values else w.gettext(message) for w in tongues)
    return sep.join(dict.fromkeys(said))
