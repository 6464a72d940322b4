"""``plan.xlsx`` and ``plan.html``: the scenarios side by side, and what to book.

The page follows the run report (``documents/report.py``): self-contained,
charts as inline SVG, its styles; the workbook uses the schedule writer's
sheet code, so text is never taken for a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.figure import Figure

from ..documents.report import CSS, INK, _cards, _e, _figure, _svg, _table
from ..io.write import PERCENT_FORMAT, SheetData, _save
from .sweep import ScenarioResult

COLUMNS = (
    "Scenario", "Tables (busiest day)", "Tables per day", "Meeting minutes", "Buffer minutes",
    "Spare tables", "Slots", "Status", "Meetings", "Standard score", "Upper bound", "Gap",
    "Share of best score", "High met", "High requests", "Medium met", "Low met",
    "Attendees with a meeting", "Idle slots", "Solve seconds", "Reason or notes",
)  # fmt: skip
PERCENTS = ("Gap", "Share of best score", "Attendees with a meeting")
# The page leaves out what its other columns already say (the label, High requests: in the cards).
PAGE_COLUMNS = tuple(c for c in COLUMNS if c not in ("Scenario", "High requests"))
TEXT_COLUMNS = ("Tables per day", "Spare tables", "Status", "Reason or notes")
ENOUGH = 0.99  # "reach 99% of the best score"
WIDE = (
    ".wide { overflow-x: auto; } .wide table { font-size: 12.5px; } .wide td:last-child { min-width: 240px; }"
)
COLOURS = (INK, "#c0504d", "#4f9d69", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f")


def best_of(results: Sequence[ScenarioResult]) -> ScenarioResult | None:
    """The highest score; on a tie the fewest tables, then the first given."""
    ok = [(i, r) for i, r in enumerate(results) if r.ok]
    if not ok:
        return None
    return min(ok, key=lambda ir: (-ir[1].score, ir[1].scenario.tables, ir[0]))[1]


def recommendation(results: Sequence[ScenarioResult]) -> list[str]:
    """Plain sentences: the fewest tables that reach 99% of the best score, and
    what the next step up in tables adds."""
    best = best_of(results)
    failed = sum(not r.ok for r in results)
    tail = (
        [f"{failed} of {len(results)} scenarios could not be scheduled: see the reasons in the table."]
        if failed
        else []
    )
    if best is None:
        return ["No scenario could be scheduled."] + tail
    if best.score <= 0:
        return ["No scenario meets any request: check the requests and the time grid."] + tail
    ok = [r for r in results if r.ok]
    pick = min((r for r in ok if r.score >= ENOUGH * best.score), key=lambda r: (r.scenario.tables, -r.score))
    lines = []
    if pick is best:
        lines.append(
            f"{pick.scenario.tables} tables ({pick.scenario.line}) give the best score of any scenario "
            f"({best.score:,.1f}); no scenario with fewer tables reaches {ENOUGH:.0%} of it."
        )
    else:
        lines.append(
            f"{pick.scenario.tables} tables ({pick.scenario.line}) reach {pick.score / best.score:.1%} of the best "
            f"score of any scenario ({best.score:,.1f}, {best.scenario.label})."
        )
    bigger = sorted(
        (r for r in ok if r.scenario.line == pick.scenario.line and r.scenario.tables > pick.scenario.tables),
        key=lambda r: r.scenario.tables,
    )
    if bigger:
        gain = (bigger[0].score - pick.score) / best.score
        lines.append(f"{bigger[0].scenario.tables} tables add {gain:+.1%} of the best score.")
    return lines + tail


# ---------------------------------------------------------------- workbook


def rows(results: Sequence[ScenarioResult]) -> list[list[object]]:
    best = best_of(results)
    top = best.score if best and best.score > 0 else None
    out = []
    for r in results:
        s = r.scenario
        values: list[object] = [
            s.label,
            s.tables,
            r.tables_per_day or None,
            s.meeting_minutes,
            s.buffer_minutes,
            s.spare,
        ]
        if r.ok:
            values += [
                r.slots, r.status, r.meetings, r.score, round(r.bound, 1), r.gap,
                r.score / top if top else None, r.met[0], r.requests[0], r.met[1], r.met[2],
                r.attendees_met, r.idle_slots, r.seconds, r.notes,
            ]  # fmt: skip
        else:
            values += [None, r.status] + [None] * 11 + [r.seconds or None, r.reason]
        out.append(values)
    return out


def write_xlsx(results: Sequence[ScenarioResult], path: Path) -> Path:
    sheet = SheetData("Scenarios", COLUMNS, rows(results), formats=dict.fromkeys(PERCENTS, PERCENT_FORMAT))
    recommend = SheetData("Recommendation", ["Recommendation"], [[line] for line in recommendation(results)],
                          autofilter=False, max_width=120)  # fmt: skip
    _save(path, [sheet, recommend])
    return path


# ---------------------------------------------------------------- page


def chart(results: Sequence[ScenarioResult], what: str) -> Figure:
    """``what`` ("score" or "high") against tables, one line per meeting length
    (and buffer and spare tables); the score chart shows each line's bound dotted."""
    fig, ax = _figure(6.4, 3.2)
    lines: dict[str, list[ScenarioResult]] = {}
    for r in results:
        if r.ok:
            lines.setdefault(r.scenario.line, []).append(r)
    for n, (label, points) in enumerate(lines.items()):
        points.sort(key=lambda r: r.scenario.tables)
        xs = [r.scenario.tables for r in points]
        colour = COLOURS[n % len(COLOURS)]
        ys = [r.score if what == "score" else r.met[0] for r in points]
        ax.plot(xs, ys, marker="o", color=colour, label=label)
        if what == "score":
            ax.plot(xs, [r.bound for r in points], linestyle=":", color=colour, linewidth=1)
    ax.set_xlabel("meeting tables (busiest day)", fontsize=9)
    ax.set_ylabel("standard score" if what == "score" else "High requests met", fontsize=9)
    if what == "high" and lines:
        total = max(r.requests[0] for points in lines.values() for r in points)
        ax.axhline(total, color="#9aa7b4", linewidth=0.8, linestyle="--")
    if len(lines) > 1:
        ax.legend(fontsize=8, frameon=False)
    return fig


def page(results: Sequence[ScenarioResult], title: str, subtitle: str) -> str:
    best = best_of(results)
    cards = [("scenarios", f"{len(results)}"), ("failed", f"{sum(not r.ok for r in results)}")]
    if best is not None:
        cards += [("best score", f"{best.score:,.1f}"), ("its tables", f"{best.scenario.tables}"),
                  ("its High met", f"{best.met[0]} of {best.requests[0]}")]  # fmt: skip
    advice = "".join(f"<p><strong>{_e(line)}</strong></p>" for line in recommendation(results))
    charts = (
        "<div class='two'>"
        f"<div><h3>Standard score</h3><div class='chart'>{_svg(chart(results, 'score'))}</div>"
        "<p class='note'>Dotted: the proven upper bound of each scenario; no schedule can score above it.</p></div>"
        f"<div><h3>High requests met</h3><div class='chart'>{_svg(chart(results, 'high'))}</div>"
        "<p class='note'>Dashed: all High requests.</p></div></div>"
    )
    where = [COLUMNS.index(c) for c in PAGE_COLUMNS]
    shown = [[_shown(COLUMNS[i], row[i]) for i in where] for row in rows(results)]
    numeric = {n for n, c in enumerate(PAGE_COLUMNS) if c not in TEXT_COLUMNS}
    table = "<div class='wide'>" + _table(list(PAGE_COLUMNS), shown, numeric=numeric) + "</div>"
    body = [
        f"<h1>{_e(title)} — capacity plan</h1><p class='sub'>{_e(subtitle)}</p>",
        "<h2>Recommendation</h2>",
        advice,
        _cards(cards),
        "<h2>Score and High requests against tables</h2>",
        charts,
        "<h2>Every scenario</h2>",
        table,
        "<p class='note'>Tables: the meeting tables on the busiest day, spread over the meeting rooms in proportion "
        "to the workbook's tables; days with fewer rooms open have fewer. The best scenario's schedule, agendas and "
        "report are in <code>best/</code>.</p>",
    ]
    return ("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{_e(title)} — capacity plan</title><style>{CSS}{WIDE}</style></head>"
            f"<body>{''.join(body)}</body></html>\n")  # fmt: skip


def write_html(results: Sequence[ScenarioResult], path: Path, title: str, subtitle: str) -> Path:
    path.write_text(page(results, title, subtitle), encoding="utf-8")
    return path


def _shown(column: str, value: object) -> object:
    if value is None:
        return ""
    if column in PERCENTS:
        return f"{value:.1%}"
    return f"{value:,.1f}" if isinstance(value, float) else value
