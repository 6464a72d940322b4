"""``report.html``: how good the schedule is, for the organizers.

One self-contained page (charts are inline SVG, styles inline, no external
address at all) that opens offline from a USB stick or an e-mail attachment.
"""

from __future__ import annotations

import html
import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from scheduler import rules
from scheduler.changes import ChangeReport
from scheduler.documents.common import day_text, days_text, fold, french_agendas, span_text
from scheduler.model import PRIORITY_NAMES, Event, Request
from scheduler.schedule import Schedule

INK = "#1f4e79"
MUTED = "#9aa7b4"
WORST_SHOWN = 15

CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee4; --accent: #1f4e79; --soft: #f3f5f8; }
* { box-sizing: border-box; }
body { font-family: -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 1060px; padding: 28px 24px 60px; line-height: 1.45; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.sub { color: var(--muted); margin: 0 0 20px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(165px, 1fr)); gap: 10px; }
.card { background: var(--soft); border-radius: 8px; padding: 10px 14px; }
.card .v { font-size: 24px; font-weight: 650; color: var(--accent); }
.card .k { font-size: 12.5px; color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.chart svg { width: 100%; height: auto; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; }
@media (max-width: 800px) { .two { grid-template-columns: 1fr; } }
.note { color: var(--muted); font-size: 13px; }
details summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
@media print { body { max-width: none; } details { display: block; } }
"""


# ---------------------------------------------------------------- numbers


@dataclass
class Stats:
    """What the report shows, computed once."""

    met: set[tuple[str, str]]
    active: list[Request]  # requests that count: priority 1-3, not excluded
    meetings_of: dict[str, int]  # attendee key -> meetings (team meetings count for each member)
    involved: dict[str, list[Request]]  # attendee key -> active requests on either side


def _stats(event: Event, schedule: Schedule) -> Stats:
    met = {m.pair for m in schedule.meetings}
    active = [q for q in event.requests if q.priority in (1, 2, 3) and not q.excluded]
    meetings_of: Counter[str] = Counter()
    for m in schedule.meetings:
        for side in (m.a, m.b):
            party = event.party.get(side)
            for k in party.members if party else (side,):
                meetings_of[k] += 1
    involved: dict[str, list[Request]] = defaultdict(list)
    for q in active:
        for side in q.pair:
            party = event.party.get(side)
            for k in party.members if party else (side,):
                involved[k].append(q)
    return Stats(met, active, dict(meetings_of), dict(involved))


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "—"


def _askers(event: Event, q: Request) -> Iterable[str]:
    """Who made a request; when unknown, everyone on both sides."""
    if q.asked_by:
        return q.asked_by
    return [k for side in q.pair for k in (event.party[side].members if side in event.party else (side,))]


# ---------------------------------------------------------------- charts


def _svg(fig: Figure) -> str:
    """Inline SVG without the XML prologue and namespace URLs (HTML5 needs neither)."""
    out = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "scheduler", "svg.fonttype": "none"}):
        fig.savefig(out, format="svg", bbox_inches="tight",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = out.getvalue()
    text = text[text.index("<svg"):]
    return re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)


def _figure(width: float = 6.4, height: float = 2.8) -> tuple[Figure, Axes]:
    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.subplots()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)
    return fig, ax


def _histogram(stats: Stats, event: Event) -> str:
    counts = Counter(stats.meetings_of.get(a.key, 0) for a in event.attendees)
    fig, ax = _figure(9.6, 2.6)
    xs = list(range(0, max(counts, default=0) + 1))
    ax.bar(xs, [counts.get(x, 0) for x in xs], color=INK, width=0.8)
    ax.set_xlabel("meetings", fontsize=9)
    ax.set_ylabel("attendees", fontsize=9)
    ax.set_xticks(xs if len(xs) <= 30 else xs[:: max(1, len(xs) // 15)])
    return _svg(fig)


def _bars(labels: list[str], shares: list[float], height: float | None = None) -> str:
    """Horizontal bars of met shares (0-1), one per label, top to bottom."""
    fig, ax = _figure(6.4, height or max(1.6, 0.32 * len(labels) + 0.8))
    ys = list(range(len(labels)))[::-1]
    ax.barh(ys, [1.0] * len(labels), color="#e6eaef", height=0.65)
    ax.barh(ys, shares, color=INK, height=0.65)
    ax.set_yticks(ys, labels, parse_math=False)  # a name like $\foo$ is text, not math
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    for y, share in zip(ys, shares, strict=True):
        ax.text(min(share, 0.93) + 0.01, y, f"{100 * share:.0f}%", va="center", fontsize=8.5,
                color="white" if share > 0.93 else "#1f2933")
    return _svg(fig)


def _utilization(event: Event, schedule: Schedule) -> tuple[str, float]:
    """Share of the day's meeting tables in use, slot by slot; and the overall share."""
    used = Counter(m.slot for m in schedule.meetings)
    tables = {day: sum(r.tables for r in event.meeting_rooms(day)) for day in event.days}
    shares = [used[s.index] / tables[s.day] if tables.get(s.day) else 0.0 for s in event.slots]
    fig, ax = _figure(9.6, 2.8)
    ax.bar(range(len(shares)), shares, color=INK, width=0.85)
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ticks, labels = [], []
    for s in event.slots:
        if s.index == 0 or event.slots[s.index - 1].day != s.day:
            ticks.append(s.index)
            labels.append(f"{day_text(s.day).split(',')[0][:3]} {s.start:%H:%M}")
            if s.index:
                ax.axvline(s.index - 0.5, color=MUTED, linewidth=0.8)
    ax.set_xticks(ticks, labels)
    ax.set_xlim(-0.6, max(len(shares), 1) - 0.4)
    ax.set_ylabel("tables in use", fontsize=9)
    total = sum(tables.get(s.day, 0) for s in event.slots)
    return _svg(fig), (len(schedule.meetings) / total if total else 0.0)


# ---------------------------------------------------------------- html pieces


def _e(value: object) -> str:
    return html.escape(str(value))


def _table(head: Sequence[str], rows: Iterable[Sequence[object]], numeric: AbstractSet[int] = frozenset()) -> str:
    th = "".join(f'<th class="n">{_e(h)}</th>' if n in numeric else f"<th>{_e(h)}</th>" for n, h in enumerate(head))
    body = []
    for row in rows:
        cells = "".join(f'<td class="n">{_e(v)}</td>' if n in numeric else f"<td>{_e(v)}</td>"
                        for n, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _cards(items: list[tuple[str, str]]) -> str:
    return '<div class="cards">' + "".join(
        f'<div class="card"><div class="v">{_e(v)}</div><div class="k">{_e(k)}</div></div>' for k, v in items
    ) + "</div>"


def _party_text(event: Event, key: str) -> str:
    party = event.party.get(key)
    if party is None:
        return key
    orgs = ", ".join(dict.fromkeys(event.attendee[k].organization for k in party.members if event.attendee[k].organization))
    return party.label + (f" ({orgs})" if orgs else "")


# ---------------------------------------------------------------- sections


def _key_figures(event: Event, schedule: Schedule, stats: Stats, table_share: float) -> str:
    f = schedule.figures
    met = [q for q in stats.active if q.pair in stats.met]
    cards = _cards([
        ("standard score", f"{f.score:g}"),
        ("proven upper bound", f"{f.bound:g}"),
        ("gap to the bound", f"{100 * f.gap:.1f}%"),
        ("meetings", f"{len(schedule.meetings)}"),
        ("requests met", f"{len(met)} of {len(stats.active)}"),
        ("attendees", f"{len(event.attendees)}"),
        ("attendees without a meeting", f"{sum(1 for a in event.attendees if not stats.meetings_of.get(a.key))}"),
        ("tables in use", f"{100 * table_share:.0f}%"),
        ("solver status", f.status or "—"),
        ("solve time", f"{f.solve_seconds:.1f} s"),
    ])
    rows = []
    for p in (1, 2, 3):
        asked = [q for q in stats.active if q.priority == p]
        got = [q for q in asked if q.pair in stats.met]
        mutual = [q for q in asked if q.mutual]
        rows.append([PRIORITY_NAMES[p], len(asked), len(got), _share(len(got), len(asked)), len(mutual),
                     sum(q.pair in stats.met for q in mutual)])
    table = _table(["Priority", "Requests", "Met", "Met share", "Mutual", "Mutual met"], rows, {1, 2, 3, 4, 5})
    return f"<h2>Key figures</h2>{cards}<h3>Requests met by priority</h3>{table}"


def _satisfaction(event: Event, stats: Stats) -> str:
    by_priority = []
    for p in (1, 2, 3):
        asked = [q for q in stats.active if q.priority == p]
        by_priority.append(sum(q.pair in stats.met for q in asked) / len(asked) if asked else 0.0)
    made: dict[str, list[Request]] = defaultdict(list)
    for q in stats.active:
        for d in {event.attendee[k].delegation for k in _askers(event, q) if k in event.attendee}:
            made[d or "(none)"].append(q)
    delegations = sorted(made, key=fold)
    shares = [sum(q.pair in stats.met for q in made[d]) / len(made[d]) for d in delegations]
    rows = [[d, sum(1 for a in event.attendees if (a.delegation or "(none)") == d), len(made[d]),
             sum(q.pair in stats.met for q in made[d]), _share(sum(q.pair in stats.met for q in made[d]), len(made[d]))]
            for d in delegations]
    return (
        "<h2>Satisfaction</h2>"
        '<div class="two"><div class="chart"><h3>Met share by priority</h3>'
        + _bars([PRIORITY_NAMES[p] for p in (1, 2, 3)], by_priority, 1.8)
        + '</div><div class="chart"><h3>Met share by delegation</h3>'
        + (_bars(delegations, shares) if delegations else '<p class="note">No requests.</p>')
        + "</div></div>"
        + '<p class="note">A delegation\'s share counts the requests its attendees made.</p>'
        + _table(["Delegation", "Attendees", "Requests made", "Met", "Met share"], rows, {1, 2, 3, 4})
    )


def _worst_off(event: Event, stats: Stats) -> str:
    rows = []
    for a in event.attendees:
        mine = stats.involved.get(a.key, [])
        if not mine:
            continue
        got = sum(q.pair in stats.met for q in mine)
        high = sum(q.priority == 1 and q.pair not in stats.met for q in mine)
        rows.append((got / len(mine), -high, -len(mine), fold(a.name), a, len(mine), got, high))
    rows.sort(key=lambda r: r[:4])
    shown = [[a.name, a.organization, a.delegation, n, got, _share(got, n), high, stats.meetings_of.get(a.key, 0)]
             for *_, a, n, got, high in rows[:WORST_SHOWN] if got < n]
    head = ("<h2>Worst-off attendees</h2><p class='note'>Lowest share of the requests they are part of "
            "(made or received) that got a meeting.</p>")
    if not shown:
        return head + "<p>Every attendee got a meeting for each of their requests.</p>"
    return head + _table(["Name", "Organization", "Delegation", "Requests", "Met", "Met share", "High unmet",
                          "Meetings"], shown, {3, 4, 5, 6, 7})


def _unscheduled(event: Event, schedule: Schedule) -> str:
    reasons = Counter(u.reason for u in schedule.unscheduled)
    summary = _table(["Reason", "Requests"], [[r, n] for r, n in sorted(reasons.items(), key=lambda x: (-x[1], x[0]))],
                     {1})
    detail = []
    for u in sorted(schedule.unscheduled, key=lambda u: (u.reason, fold(_party_text(event, u.a)))):
        q = event.request.get((u.a, u.b)) or event.request.get((u.b, u.a))
        detail.append([_party_text(event, u.a), _party_text(event, u.b),
                       PRIORITY_NAMES.get(q.priority, "") if q else "", u.reason])
    count = len(schedule.unscheduled)
    return (f"<h2>Unscheduled requests</h2><p>{count} request{'s' * (count != 1)} got no meeting.</p>{summary}"
            f"<details><summary>Show all {len(detail)}</summary>"
            + _table(["Party", "Party", "Priority", "Reason"], detail) + "</details>")


def _sessions(event: Event, schedule: Schedule) -> str:
    rooms = {r.name: r for r in event.rooms}
    rows = []
    for p in sorted(schedule.sessions, key=lambda p: (event.periods[p.period].start, p.room)):
        s, period = event.session.get(p.session), event.periods[p.period]
        if s is None:
            continue
        track = event.track.get(s.track) if s.track else None
        room = rooms.get(p.room)
        rows.append([s.title or s.id, track.name if track else "", day_text(period.day),
                     span_text(period.start, period.end), p.room, room.capacity if room and room.capacity else "",
                     rules.expected_audience(event, s.key),
                     ", ".join(event.attendee[k].name for k in s.speakers if k in event.attendee)])
    placed = {p.session for p in schedule.sessions}
    missing = [s.title or s.id for s in event.sessions if s.key not in placed]
    note = f'<p class="note">Not scheduled: {_e(", ".join(missing))}</p>' if missing else ""
    return ("<h2>Sessions</h2>" + _table(["Session", "Track", "Day", "Time", "Room", "Capacity", "Expected",
                                          "Speakers"], rows, {5, 6}) + note)


# ---------------------------------------------------------------- public


def _languages(event: Event) -> str:
    """Who got a French agenda and calendar (everyone else: English)."""
    french = french_agendas(event)
    if not french:
        return "<h2>Agenda languages</h2><p>Every agenda and calendar is in English.</p>"
    count = len(french)
    rows = [[a.id, a.name, a.organization, a.delegation, why] for a, why in french]
    return (f"<h2>Agenda languages</h2><p id='french-agendas'>{count} attendee{'s' * (count != 1)} got "
            f"French agendas and calendars; every other agenda is in English.</p>"
            + _table(["Attendee", "Name", "Organization", "Delegation", "Why"], rows))


def report_html(event: Event, schedule: Schedule, changes: ChangeReport | None = None) -> str:
    """The whole report as one HTML page; after a re-solve, with what changed."""
    stats = _stats(event, schedule)
    chart, table_share = _utilization(event, schedule)
    settings = event.settings
    subtitle = " · ".join(x for x in (settings.venue, days_text(event.days)) if x)
    body = [
        f"<h1>{_e(settings.name)} — schedule report</h1><p class='sub'>{_e(subtitle)}</p>",
        _key_figures(event, schedule, stats, table_share),
        _changes(changes) if changes is not None else "",
        "<h2>Meetings per attendee</h2><div class='chart'>" + _histogram(stats, event) + "</div>",
        _satisfaction(event, stats),
        "<h2>Table use by slot</h2><div class='chart'>" + chart + "</div>"
        "<p class='note'>Meetings in a slot divided by the meeting tables open that day.</p>",
        _worst_off(event, stats),
        _unscheduled(event, schedule),
        _sessions(event, schedule),
        _languages(event),
    ]
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(settings.name)} — schedule report</title><style>{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")


def render_report(event: Event, schedule: Schedule, path: str | Path, changes: ChangeReport | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report_html(event, schedule, changes), encoding="utf-8")
    return path


def _changes(report: ChangeReport) -> str:
    """Per attendee: meetings added, moved and dropped since the published schedule."""
    intro = (
        f"<p>{report.kept} of {report.previous} published meetings stayed exactly where they were "
        f"({report.kept_share:.1%}); {html.escape(report.tally())}. {len(report.changed_attendees)} attendees' agendas changed: "
        "reprint <code>agendas-changed.pdf</code> and re-send their calendars "
        "(<code>calendars-changed/</code>).</p>"
    )
    rows = [[c.attendee, c.name, c.kind, c.counterpart, c.old, c.new, c.reason] for c in report.changes]
    head = ["Attendee", "Name", "Change", "With / session", "Before", "After", "Reason"]
    return "<h2>Changes since the published schedule</h2>" + intro + _table(head, rows)
