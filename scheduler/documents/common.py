"""What the documents share: page sizes, words for dates and times, file
names, and each attendee's day-by-day program.

The program (:class:`Program`) is built here once so that the PDF agenda and
the calendar file of an attendee can never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.pagesizes import A4, LETTER

from scheduler.i18n import ENGLISH, Words, agenda_language, spoken, words
from scheduler.model import Attendee, Event, Party, key_of
from scheduler.schedule import Meeting, Schedule, SessionPlacement

# ---------------------------------------------------------------- paper


def page_size(event: Event) -> tuple[float, float]:
    return A4 if event.settings.paper_size.strip().casefold() == "a4" else LETTER


# ---------------------------------------------------------------- words


def day_text(day: date) -> str:
    """'Monday, June 5, 2017' (English; :class:`~scheduler.i18n.Words` for other languages)."""
    return ENGLISH.day(day)


def span_text(start: datetime, end: datetime) -> str:
    return ENGLISH.span(start, end)


def days_text(days: Iterable[date]) -> str:
    return ENGLISH.days(days)


def language_of(attendee: Attendee) -> str:
    """The language of an attendee's agenda and calendar ('en' or 'fr')."""
    return agenda_language(attendee.languages, attendee.agenda_language)


def words_for(attendee: Attendee) -> Words:
    return words(language_of(attendee))


def french_agendas(event: Event) -> list[tuple[Attendee, str]]:
    """The attendees whose agenda and calendar are in French, by delegation then name,
    each with why ('Agenda language column' or 'speaks French, not English')."""
    found = [a for a in agenda_order(event) if language_of(a) == "fr"]
    return [(a, "Agenda language column" if a.agenda_language else "speaks French, not English") for a in found]


def has_french(event: Event) -> bool:
    """Someone speaks French: the venue's signs and sheets are then bilingual."""
    return any("fr" in spoken(a.languages) or a.agenda_language == "fr" for a in event.attendees)


def fold(text: str) -> str:
    """Sort form: accents and case ignored, so Émilie sorts with Emilie."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
STEM_LIMIT = 60  # characters; at most 240 bytes in UTF-8, within every file system's 255


def slug(text: str) -> str:
    """A file stem safe on every system: letters and digits of any script
    (東京01 stays 東京01, Émilie stays émilie), anything else a dash."""
    stem = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFC", text).casefold()).strip("-")[:STEM_LIMIT].strip("-")
    if stem in WINDOWS_RESERVED:
        stem += "-"
    return stem or "attendee"


def file_names(attendees: Iterable[Attendee]) -> dict[str, str]:
    """Attendee key -> file stem from the ID. IDs differing only by punctuation
    ('A 1' and 'A-1') would clash, so later ones get -2, -3 (in ID order, so the
    same inputs always give the same names). Stems never differ only by case,
    so they stay distinct on case-insensitive file systems too."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for a in sorted(attendees, key=lambda a: a.key):
        stem, n = slug(a.id), 1
        while (stem if n == 1 else f"{stem}-{n}") in taken:
            n += 1
        names[a.key] = stem if n == 1 else f"{stem}-{n}"
        taken.add(names[a.key])
    return names


PARTICLES = frozenset({"da", "de", "del", "della", "der", "des", "di", "du", "la", "le", "van", "von"})


def surname(name: str) -> str:
    """The family name for sorting: the last word, with the particles before it
    ('Ludwig van Beethoven' -> 'van Beethoven', sorted under B as in a directory)."""
    words = name.split()
    if len(words) < 2:
        return name
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in PARTICLES:
        start -= 1
    return " ".join(words[start:])


def _sort_surname(name: str) -> str:
    words = surname(name).split()
    while len(words) > 1 and words[0].casefold() in PARTICLES:
        words.pop(0)
    return fold(" ".join(words))


def agenda_order(event: Event, keys: Iterable[str] | None = None) -> list[Attendee]:
    """Attendees by delegation, then surname, then full name; those without a delegation last."""
    wanted = None if keys is None else {key_of(k) for k in keys}
    chosen = [a for a in event.attendees if wanted is None or a.key in wanted]
    return sorted(chosen, key=lambda a: (not a.delegation, fold(a.delegation), _sort_surname(a.name),
                                         fold(a.name), a.key))


# ---------------------------------------------------------------- people


def person_line(a: Attendee) -> str:
    """'Title, Organization (Delegation)' with what is known."""
    text = ", ".join(x for x in (a.title, a.organization) if x)
    if a.delegation:
        text = f"{text} ({a.delegation})" if text else a.delegation
    return text


def party_names(event: Event, party: Party) -> str:
    return ", ".join(event.attendee[k].name for k in party.members) or party.label


def party_orgs(event: Event, party: Party) -> str:
    orgs = dict.fromkeys(event.attendee[k].organization for k in party.members)
    return ", ".join(o for o in orgs if o)


# ---------------------------------------------------------------- the program


@dataclass(frozen=True)
class Item:
    """One line of an attendee's program."""

    kind: str  # meeting | session | plenary | break
    start: datetime
    end: datetime
    room: str = ""
    table: str = ""
    title: str = ""  # session title, block label
    speaker: bool = False
    meeting: Meeting | None = None
    counterpart: Party | None = None
    teammates: tuple[str, ...] = ()  # own team members beside the attendee (keys)
    note: str = ""
    session: str = ""  # session key
    track: str = ""

    @property
    def day(self) -> date:
        return self.start.date()


_KIND_ORDER = {"plenary": 0, "session": 1, "meeting": 2, "break": 3}


class Program:
    """Indexes of a schedule, built once, so that thousands of agendas are fast."""

    def __init__(self, event: Event, schedule: Schedule) -> None:
        self.event = event
        self.schedule = schedule
        self.meetings_of: dict[str, list[Meeting]] = defaultdict(list)
        for m in schedule.meetings:
            self.meetings_of[m.a].append(m)
            self.meetings_of[m.b].append(m)
        self.placement: dict[str, SessionPlacement] = {p.session: p for p in schedule.sessions}
        self.speaking: dict[str, set[str]] = defaultdict(set)
        for s in event.sessions:
            for k in s.speakers:
                self.speaking[k].add(s.key)
        self.shared_blocks = [b for b in event.blocks if b.activity in ("Plenary", "Break")]

    def party_key(self, attendee_key: str) -> str:
        return self.event.party_of.get(attendee_key, attendee_key)

    def items(self, attendee_key: str) -> list[Item]:
        """The attendee's meetings, sessions, plenaries and breaks in time order."""
        found = self._meetings(attendee_key) + self._sessions(attendee_key) + self._blocks(attendee_key)
        return sorted(found, key=lambda i: (i.start, _KIND_ORDER[i.kind], i.end, i.title))

    def _meetings(self, attendee_key: str) -> list[Item]:
        event, own = self.event, self.party_key(attendee_key)
        own_party = event.party.get(own)
        mates = tuple(k for k in own_party.members if k != attendee_key) if own_party else ()
        found = []
        for m in self.meetings_of.get(own, []):
            other = event.party.get(m.b if m.a == own else m.a)
            request = event.request.get(m.pair)
            slot = event.slots[m.slot]
            found.append(Item("meeting", slot.start, slot.end, room=m.room, table=m.table_name, meeting=m,
                              counterpart=other, teammates=mates, note=request.note if request else ""))
        return found

    def _sessions(self, attendee_key: str) -> list[Item]:
        event = self.event
        listed = set(event.attendee[attendee_key].sessions) | self.speaking.get(attendee_key, set())
        found = []
        for key in listed:
            placed, session = self.placement.get(key), event.session.get(key)
            if placed is None or session is None:
                continue  # not held: nothing to print
            period = event.periods[placed.period]
            track = event.track.get(session.track) if session.track else None
            found.append(Item("session", period.start, period.end, room=placed.room,
                              title=session.title or session.id, session=key,
                              speaker=attendee_key in session.speakers,
                              track=track.name if track else (session.track or "")))
        return found

    def _blocks(self, attendee_key: str) -> list[Item]:
        here = self.event.presence(attendee_key)
        return [Item(b.activity.lower(), b.start, b.end, title=b.label or b.activity)
                for b in self.shared_blocks if b.interval.overlaps(here)]


def by_day(items: Iterable[Item]) -> dict[date, list[Item]]:
    days: dict[date, list[Item]] = {}
    for item in items:
        days.setdefault(item.day, []).append(item)
    return days
