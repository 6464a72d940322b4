"""What changed between a published schedule and a re-solve, per attendee.

The registration desk reprints only the agendas of attendees whose day
changed; this module says who they are and what changed for each. It only
compares two schedules; making the new one is ``engine/change.py``
(re-solving from the published schedule).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from .i18n import N_, NN_
from .model import Event, key_of
from .problems import join_words
from .rules import pair_allowed
from .schedule import LeftOut, Meeting, Schedule, SessionPlacement


@dataclass(frozen=True)
class Place:
    """Where and when, for an agenda to write in its reader's language."""

    start: datetime
    end: datetime
    room: str
    table: str = ""  # "T3"; "" for a session


@dataclass(frozen=True)
class Notice:
    """Why, in words for the attendee whose agenda it is (``Change.reason`` is
    for the organizer: rules, rows, IDs). ``message`` is English, marked for the
    catalogue and translated when the agenda is drawn; ``{who}`` is ``who``
    said as a list in the reader's language, whose length picks ``plural``."""

    message: str
    plural: str = ""
    who: tuple[str, ...] = ()


@dataclass(frozen=True)
class Change:
    attendee: str  # attendee ID as written (or the raw key of a cancelled one)
    name: str
    kind: str  # added | moved | dropped | changed (the counterpart team's members) | session moved
    counterpart: str
    old: str  # "2017-06-05 10:00, Canadian Room T3" or ""
    new: str
    reason: str = ""  # why it was dropped, or the rule that moved it
    counterpart_id: str = ""  # the counterpart's attendee ID(s), or the session ID
    before: Place | None = None  # ``old`` and ``new`` for an agenda; None: none, or only as written
    after: Place | None = None
    notice: tuple[Notice, ...] = ()  # why, for the attendee


@dataclass(frozen=True)
class ChangeReport:
    changes: tuple[Change, ...]
    changed_attendees: tuple[str, ...]  # attendee keys whose agenda changed
    kept: int  # previous meetings left exactly where they were
    previous: int  # meetings in the previous schedule
    # Meetings (not rows: a row per attendee) by what happened to them, and sessions placed again.
    moved: int = 0
    moved_table_only: int = 0  # of the moved: same time, another table
    dropped: int = 0
    added: int = 0
    sessions_moved: int = 0

    @property
    def kept_share(self) -> float:
        return self.kept / self.previous if self.previous else 1.0

    def tally(self) -> str:
        """"2 meetings moved (1 to another table at the same time), 9 dropped, 10 added; 2 sessions moved"."""
        table_only = f" ({self.moved_table_only} to another table at the same time)" if self.moved_table_only else ""
        sessions = f"; {self.sessions_moved} session{'' if self.sessions_moved == 1 else 's'} moved" \
            if self.sessions_moved else ""
        moved = f"{self.moved} meeting{'' if self.moved == 1 else 's'} moved"
        return f"{moved}{table_only}, {self.dropped} dropped, {self.added} added{sessions}"


def diff(event: Event, old: Schedule, new: Schedule, names: dict[str, str] | None = None,
         moves: dict[tuple[str, str], str] | None = None,
         session_moves: dict[str, str] | None = None, left_out: Sequence[LeftOut] = ()) -> ChangeReport:
    """``names``: attendee key -> name from the previous schedule, for those since cancelled;
    ``moves``: pair -> the rule that forced a meeting to move, and ``session_moves``:
    session key -> why it was placed again (both from the re-solve); ``left_out``:
    published rows the re-solve could not use, each a meeting dropped."""
    names, moves = names or {}, moves or {}
    old_by = {m.pair: m for m in old.meetings}
    new_by = {m.pair: m for m in new.meetings}
    why = {(u.a, u.b): u.reason for u in new.unscheduled}
    changes: list[Change] = []
    count = {"kept": 0, "moved": 0, "table only": 0, "dropped": len(left_out)}
    carried = _carried(event, [m for m in old.meetings if m.pair not in new_by],
                       [n for n in new.meetings if n.pair not in old_by])
    for pair, m in sorted(old_by.items()):
        n = new_by.get(pair)
        had = _had(event, m)
        if pair in carried:  # the same people at the same table, under another pair since a Team change
            m, n = carried[pair]
            count["kept"] += 1
            changes += _team_changes(event, m, n, had, names)
            continue
        if n is None:
            count["dropped"] += 1
            reason, notice = _drop_reason(event, m, why, names, moves.get(pair, ""))
            changes += _per_member(event, "dropped", m, None, reason, names, had, notice)
            changes += [replace(c, reason=reason) for c in _leavers(event, m, names)]
            continue
        if (n.slot, n.room, n.table) != (m.slot, m.room, m.table):
            count["moved"] += 1
            count["table only"] += n.slot == m.slot
            changes += _per_member(event, "moved", m, n, moves.get(pair, ""), names, had)
        else:
            count["kept"] += 1
        changes += _team_changes(event, m, n, had, names)
    kept_as = {n.pair for _, n in carried.values()}
    added = [n for pair, n in sorted(new_by.items()) if pair not in old_by and pair not in kept_as]
    for n in added:
        changes += _per_member(event, "added", None, n, "", names)
    changes += [c for row in left_out for c in _left_out_changes(event, row)]
    sessions = _session_changes(event, old, new, session_moves or {})
    touched = sorted({c.attendee.casefold().strip() for c in changes + sessions})
    return ChangeReport(
        tuple(changes + sessions), tuple(touched), count["kept"], len(old.meetings) + len(left_out),
        moved=count["moved"], moved_table_only=count["table only"], dropped=count["dropped"], added=len(added),
        sessions_moved=len(_moved_sessions(old, new)),  # also those nobody lists: a room sign changes
    )


def _had(event: Event, m: Meeting) -> set[str] | None:
    """The registered attendees the published row named, when it was read back with
    them (a re-solve); None: every member of the parties now."""
    return {k for side in m.named for k in side if k in event.attendee} if m.named else None


def _carried(event: Event, gone: Sequence[Meeting], new: Sequence[Meeting]) -> dict[tuple[str, str], tuple[Meeting, Meeting]]:
    """Published meetings whose pair is gone while a new meeting sits at their
    place with only people the published row named (a member left a team, and
    the meeting stayed with the leaver): old pair -> (the published meeting as
    the new pair, the new meeting), each side facing the side of the row that
    named it. For its people, the meeting stayed; only who comes changed."""
    at = {(n.slot, n.room, n.table): n for n in new}
    found: dict[tuple[str, str], tuple[Meeting, Meeting]] = {}
    for m in gone:
        n = at.get((m.slot, m.room, m.table))
        if m.named is None or n is None or m.gone is not None:
            continue
        for a, b in ((n.a, n.b), (n.b, n.a)):
            if set(event.party[a].members) <= m.named[0] and set(event.party[b].members) <= m.named[1]:
                found[m.pair] = replace(m, a=a, b=b), replace(n, a=a, b=b)
                del at[n.slot, n.room, n.table]
                break
    return found


def _team_changes(event: Event, m: Meeting, n: Meeting, had: set[str] | None,
                  names: dict[str, str]) -> list[Change]:
    """A Team change: who joined the meeting (it is new on their agenda) and
    who left it (their team no longer has them)."""
    if had is None or m.named is None:
        return []
    out = []
    for side, other, named in ((n.a, n.b, m.named[0]), (n.b, n.a, m.named[1])):
        if side not in event.party:
            continue
        joined = [k for k in event.party[side].members if k not in had]
        left = sorted(k for k in named if k not in event.party[side].members)
        before = join_words([event.attendee[k].id for k in sorted(named) if k in event.attendee])
        team = _label(event, side, names)
        reason = f"a meeting of {before}, now the team {team}'s" if before else f"now in the team {team}"
        out += _per_member(event, "added", None, n, reason, names, joined,
                           (Notice(N_("you are now in the team {who}"), who=(team,)),))
        if (joined or left) and other in event.party:  # the other side meets other people now
            had_it = [k for k in event.party[other].members if k in had]  # newcomers there got it as added
            said, notice = _who_comes(event, joined, left, names)
            out += _per_member(event, "changed", m, n, said, names, had_it, notice)
    return out + _leavers(event, m, names)


def _who_comes(event: Event, joined: Sequence[str], left: Sequence[str],
               names: dict[str, str]) -> tuple[str, tuple[Notice, ...]]:
    """"Gil Ray (G1) now comes too; Dot Lee (D3) no longer comes; Ann Lee cancelled": the
    counterpart's agenda names them (by name alone)."""
    def ids(keys: Sequence[str]) -> str:
        return join_words([f"{a.name} ({a.id})" if a.name else a.id for a in (event.attendee[k] for k in keys)])

    def called(keys: Sequence[str]) -> tuple[str, ...]:
        return tuple(event.attendee[k].name or event.attendee[k].id for k in keys)

    stayed = [k for k in left if k in event.attendee]
    gone = [names.get(k, k.upper()) for k in left if k not in event.attendee]
    parts = [f"{ids(joined)} now come{'s' if len(joined) == 1 else ''} too" if joined else "",
             f"{ids(stayed)} no longer come{'s' if len(stayed) == 1 else ''}" if stayed else "",
             f"{join_words(gone)} cancelled" if gone else ""]
    notice = [Notice(*NN_("{who} will also attend", "{who} will also attend"), called(joined)),
              Notice(*NN_("{who} will no longer attend", "{who} will no longer attend"), called(stayed)),
              Notice(*CANCELLED, who=tuple(gone))]
    return "; ".join(p for p in parts if p), tuple(x for x in notice if x.who)


def _leavers(event: Event, m: Meeting, names: dict[str, str]) -> list[Change]:
    """The attendees a published row named who are in neither of its parties
    now (they left the team): the meeting is off their agenda."""
    if m.named is None:
        return []
    now = {k for side in m.pair if side in event.party for k in event.party[side].members}
    out = []
    for side, other, named in ((m.a, m.b, m.named[0]), (m.b, m.a, m.named[1])):
        for key in sorted(k for k in named - now if k in event.attendee):  # not those who cancelled
            a, keeper = event.attendee[key], _label(event, side, names)
            team = side in event.party and event.party[side].is_team
            reason = (f"the team {keeper} keeps this meeting, and {a.id} is no longer in it" if team
                      else f"{keeper} keeps this meeting, and is no longer in a team with {a.id}")
            notice = Notice(N_("the team {who} keeps this meeting without you") if team
                            else N_("{who} keeps this meeting without you"), who=(keeper,))
            out.append(Change(a.id, a.name, "dropped", _label(event, other, names), _where(event, m), "", reason,
                              _ids(event, other), before=_place(event, m), notice=(notice,)))
    return out


def _left_out_changes(event: Event, row: LeftOut) -> list[Change]:
    """The attendees a published row named lost that meeting: one dropped row each."""
    out = []
    for side, other in ((0, 1), (1, 0)):
        for key in row.sides[side]:
            a = event.attendee[key]
            out.append(Change(a.id, a.name, "dropped", row.labels[other], row.where, "",
                              f"row {row.row} of the previous schedule cannot be kept: {row.reason}",
                              row.ids[other], notice=(LEFT_OUT,)))
    return out


def _moved_sessions(old: Schedule, new: Schedule) -> list[tuple[SessionPlacement, SessionPlacement]]:
    """(before, after) of each session placed elsewhere than in the published schedule."""
    before = {p.session: p for p in old.sessions}
    return [(before[p.session], p) for p in new.sessions
            if p.session in before and (before[p.session].period, before[p.session].room) != (p.period, p.room)]


def _where(event: Event, m: Meeting) -> str:
    if m.gone is not None:  # a place the changed event no longer has: as the published schedule wrote it
        return m.gone.where
    if not 0 <= m.slot < len(event.slots):
        return "(unknown time)"
    return f"{event.slots[m.slot].start:%Y-%m-%d %H:%M}, {m.room} {m.table_name}"


def _label(event: Event, party: str, names: dict[str, str]) -> str:
    p = event.party.get(party)
    return p.label if p else names.get(party, party)


def _place(event: Event, m: Meeting) -> Place | None:
    if m.gone is not None or not 0 <= m.slot < len(event.slots):
        return None
    slot = event.slots[m.slot]
    return Place(slot.start, slot.end, m.room, m.table_name)


def _per_member(event: Event, kind: str, old: Meeting | None, new: Meeting | None, reason: str,
                names: dict[str, str], who: Collection[str] | None = None,
                notice: tuple[Notice, ...] = ()) -> list[Change]:
    """A row per member of each side of the meeting (only those in ``who`` when
    given), which was at ``old`` and is at ``new`` (None: not before, or not now)."""
    m = new or old
    assert m is not None
    was, was_at = (_where(event, old), _place(event, old)) if old else ("", None)
    now, now_at = (_where(event, new), _place(event, new)) if new else ("", None)
    out = []
    for side, other in ((m.a, m.b), (m.b, m.a)):
        if side not in event.party:
            continue
        for key in event.party[side].members:
            if who is None or key in who:
                a = event.attendee[key]
                out.append(Change(a.id, a.name, kind, _label(event, other, names), was, now, reason,
                                  _ids(event, other), was_at, now_at, notice))
    return out


def _ids(event: Event, party: str) -> str:
    p = event.party.get(party)
    return ", ".join(event.attendee[k].id for k in p.members) if p else party.upper()


# What the attendee is told, by what happened.
CANCELLED = NN_("{who} has cancelled", "{who} have cancelled")
NO_LONGER = Notice(N_("this meeting can no longer take place"))
UNASKED = Notice(N_("this meeting is no longer requested"))
NO_TIME = Notice(N_("no time could be found for it after changes to the event"))
LEFT_OUT = Notice(N_("this meeting could not be kept after changes to the event"))


def _drop_reason(
    event: Event, m: Meeting, why: dict[tuple[str, str], str], names: dict[str, str], moved: str = ""
) -> tuple[str, tuple[Notice, ...]]:
    """Why a published meeting is gone, for the organizer and for its attendees;
    ``moved``: the rule that took it off its time, when one did (then the
    meeting found no other time, and why)."""
    for p in m.pair:
        if p not in event.party:
            return f"{names.get(p, p)} is no longer registered (cancelled)", (Notice(*CANCELLED, who=(names.get(p, p),)),)
    rule = pair_allowed(event, m.a, m.b)
    if rule:  # a change of the pair itself: a new Never, another organization or language
        return f"{'locked, but ' if m.locked else ''}these two may no longer meet: {rule}", (NO_LONGER,)
    if m.pair not in event.request and m.pair not in why:
        unasked = "nobody requests this meeting (nor a Fixed meetings row), so it gets no other time"
        return (f"{moved}, and {unasked}" if moved else unasked), (UNASKED,)
    reason = why.get(m.pair, "no longer allowed at any time")
    return (f"{moved}, and no other time was found: {reason}" if moved else reason), (NO_TIME,)


def _session_changes(event: Event, old: Schedule, new: Schedule, why: dict[str, str]) -> list[Change]:
    out = []
    for q, p in _moved_sessions(old, new):
        session = event.session[p.session]
        old_when = (
            q.gone.where if q.gone is not None
            else _span(event, q) if 0 <= q.period < len(event.periods)
            else ""
        )
        new_when = _span(event, p)
        was_at = _session_place(event, q) if q.gone is None and 0 <= q.period < len(event.periods) else None
        for key in sorted(event.attending[p.session]):
            a = event.attendee[key]
            out.append(Change(a.id, a.name, "session moved", session.title or session.id, old_when, new_when,
                              why.get(p.session, ""), session.id, was_at, _session_place(event, p)))
    return out


def _session_place(event: Event, p: SessionPlacement) -> Place:
    period = event.periods[p.period]
    return Place(period.start, period.end, p.room)


def by_attendee(report: ChangeReport) -> dict[str, list[Change]]:
    """Attendee key -> the changes on their agenda, in report order."""
    found: dict[str, list[Change]] = {}
    for c in report.changes:
        found.setdefault(key_of(c.attendee), []).append(c)
    return found


def rows(report: ChangeReport) -> list[list[object]]:
    """The Changes sheet: a header row, then one row per attendee and change."""
    header: list[object] = ["Attendee", "Name", "Change", "Counterpart or session", "Counterpart ID", "Before", "After", "Reason"]
    body: list[list[object]] = [[c.attendee, c.name, c.kind, c.counterpart, c.counterpart_id, c.old, c.new, c.reason]
            for c in report.changes]
    return [header, *body]


def _span(event: Event, p: SessionPlacement) -> str:
    """"2017-06-05 11:00–12:00, Salon A": with its end, as parallel blocks may start together."""
    period = event.periods[p.period]
    return f"{period.start:%Y-%m-%d %H:%M}–{period.end:%H:%M}, {p.room}"
