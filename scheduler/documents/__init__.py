"""The documents people hold in their hands, written from an Event and its Schedule.

``render_all`` writes into the output folder:

- ``agendas.pdf`` — every attendee's agenda, one (or more) pages each, by
  delegation then surname, each starting on an odd page when printing
  double-sided; ``agendas/<attendee-id>.pdf`` — the same, one file each;
- ``calendars/<attendee-id>.ics`` — the same program as calendar files;
- ``tables.pdf`` — a sign for every meeting table and day;
- ``rooms.pdf`` — a door sheet for every session room and day;
- ``report.html`` — key figures and charts for the organizers, self-contained;
- ``calendar-history.json`` — every calendar's entries (UID, SEQUENCE, …), the
  history the next re-solve's calendars are written against;
- ``mailing.csv`` — each attendee's address and files, for ``scheduler send``;
- ``agendas-changed.pdf`` — only when ``only`` names the attendees whose
  agendas changed (after a re-solve), their agendas alone, ready to reprint;
  these agendas (here and in ``agendas.pdf``) say "Revised" with the date and
  list what changed.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection
from pathlib import Path

from scheduler.changes import ChangeReport, by_attendee
from scheduler.documents.agendas import Print, render_agenda_files, render_agendas
from scheduler.documents.calendars import HISTORY, render_calendars, writing_time
from scheduler.documents.common import Program, file_names
from scheduler.documents.report import render_report
from scheduler.documents.venue import render_rooms, render_tables
from scheduler.model import Event, key_of
from scheduler.schedule import Schedule

__all__ = ["render_agendas", "render_all", "render_calendars", "render_report", "render_rooms", "render_tables"]


def render_all(event: Event, schedule: Schedule, out_dir: str | Path, only: Collection[str] | None = None,
               changes: ChangeReport | None = None, duplex: bool = True,
               previous: str | Path | None = None, reuse: bool = True) -> list[Path]:
    """Write every document into ``out_dir``; return the paths written.

    ``only``: attendee keys whose agendas changed; their agendas are also
    written together to ``agendas-changed.pdf`` and their calendars copied to
    ``calendars-changed/``, so only those are reprinted and re-sent.
    ``changes``: the change report, shown in ``report.html`` and on the
    revised agendas. ``previous``: the published run's folder; its calendars
    are the history of the new ones (kept UIDs, raised SEQUENCEs, cancelled
    entries), and with ``reuse`` the calendars of attendees outside ``only``
    are copied from it instead of written again."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    program = Program(event, schedule)
    stamp = writing_time()
    printing = Print(duplex, by_attendee(changes) if changes else {}, stamp.date())
    written = [out / "agendas.pdf"]
    subset = (out / "agendas-changed.pdf", _attendees(event, only)) if only is not None else None
    singles = render_agenda_files(event, schedule, out / "agendas", program=program, combined=written[0],
                                  printing=printing, subset=subset)
    if subset is not None:
        written.append(subset[0])
    written.append(render_tables(event, schedule, out / "tables.pdf"))
    written.append(render_rooms(event, schedule, out / "rooms.pdf"))
    written.append(render_report(event, schedule, out / "report.html", changes))
    keys = set(_attendees(event, only)) if only is not None and reuse else None
    calendars = render_calendars(event, schedule, out / "calendars", program=program, previous=previous,
                                 stamp=stamp, only=keys, history_out=out / HISTORY)
    if only is not None:
        calendars += _copy_changed(calendars, event, _attendees(event, only), out / "calendars-changed")
    from scheduler.io.mailing import write_mailing  # here: mailing.py imports from this package

    changed = set(_attendees(event, only)) if only is not None else None
    written.append(write_mailing(event, out, file_names(event.attendees), changed))
    return written + singles + calendars


def _copy_changed(calendars: list[Path], event: Event, keys: list[str], folder: Path) -> list[Path]:
    """The calendar files of the attendees whose agenda changed."""
    stems = file_names(event.attendees)
    names = {stems[k] for k in keys if k in stems}
    folder.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in calendars:
        if path.stem in names:
            target = folder / path.name
            shutil.copyfile(path, target)
            copied.append(target)
    return copied


def _attendees(event: Event, keys: Collection[str]) -> list[str]:
    """Attendee keys; a team's party key ("team:...") stands for its members."""
    found = []
    for key in keys:
        party = event.party.get(key) or event.party.get(key_of(key))
        found += list(party.members) if party is not None and party.is_team else [key_of(key)]
    return found
