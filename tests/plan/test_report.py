"""The plan's recommendation, workbook and page from results made by hand."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from scheduler.plan.report import best_of, page, recommendation, write_xlsx
from scheduler.plan.scenarios import Scenario
from scheduler.plan.sweep import FAILED, ScenarioResult


def result(tables: int, score: float, minutes: int = 20, **kw) -> ScenarioResult:
    values = {
        "status": "FEASIBLE",
        "score": score,
        "bound": score + 1,
        "met": (5, 3, 1),
        "requests": (9, 4, 2),
    }
    return ScenarioResult(Scenario(tables, minutes, 5, "0"), **{**values, **kw})


def test_the_fewest_tables_within_one_percent_of_the_best_and_what_the_next_step_adds():
    results = [result(30, 950), result(40, 992), result(50, 995), result(60, 1000)]
    assert recommendation(results) == [
        "40 tables (20 min + 5, spare 0) reach 99.2% of the best score of any scenario "
        "(1,000.0, 60 tables, 20-min meetings + 5 buffer, spare 0).",
        "50 tables add +0.3% of the best score.",
    ]


def test_when_only_the_best_is_good_enough_it_says_so_and_counts_failures():
    results = [
        result(30, 500),
        result(60, 1000),
        ScenarioResult(Scenario(10, 20, 5, "0"), FAILED, "too few tables"),
    ]
    assert recommendation(results) == [
        "60 tables (20 min + 5, spare 0) give the best score of any scenario (1,000.0); "
        "no scenario with fewer tables reaches 99% of it.",
        "1 of 3 scenarios could not be scheduled: see the reasons in the table.",
    ]
    assert recommendation([results[2]])[0] == "No scenario could be scheduled."


def test_on_equal_scores_the_best_has_fewer_tables():
    assert best_of([result(60, 1000), result(40, 1000), result(50, 1000)]).scenario.tables == 40


def test_the_workbook_has_a_row_per_scenario_and_failures_with_their_reason(tmp_path: Path):
    reason = '=HYPERLINK("http://x") row 2: not a slot start'
    results = [result(40, 990), ScenarioResult(Scenario(40, 30, 5, "0"), FAILED, reason)]
    book = openpyxl.load_workbook(write_xlsx(results, tmp_path / "plan.xlsx"))
    sheet = book["Scenarios"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    assert [(r["Meeting minutes"], r["Status"], r["Standard score"]) for r in rows] == [
        (20, "FEASIBLE", 990),
        (30, FAILED, None),
    ]
    assert rows[1]["Reason or notes"] == reason  # text, never a formula
    assert sheet.cell(3, header.index("Reason or notes") + 1).data_type == "s"
    assert book["Recommendation"]["A2"].value.startswith(
        "40 tables (20 min + 5, spare 0) give the best score"
    )


def test_the_page_escapes_what_came_from_the_workbook():
    html = page([result(40, 990, notes="<b>moved</b>")], "<script>alert(1)</script> Expo", "1 scenario")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;moved" in html
    assert html.count("<svg") == 2
