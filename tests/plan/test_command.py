"""``scheduler plan`` as an organizer runs it: the plan written, bad values
refused with exit status 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from scheduler import cli


def plan(*args: str):
    return CliRunner().invoke(cli.main, ["plan", *args])


def test_plan_writes_the_workbook_the_page_and_the_best_schedule(tiny_book: Path, tmp_path: Path):
    out = tmp_path / "plans"
    result = plan(str(tiny_book), "--tables", "1,2", "--time-limit", "1", "-o", str(out), "--no-documents")
    assert result.exit_code == 0, result.output
    assert "[2/2]" in result.output
    sheet = openpyxl.load_workbook(out / "plan.xlsx")["Scenarios"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [(r["Tables (busiest day)"], r["Meetings"], r["Standard score"]) for r in rows] == [
        (1, 3, 12),
        (2, 6, 24),
    ]
    page = (out / "plan.html").read_text()
    assert "2 tables (20 min + 5, spare 0) give the best score of any scenario (24.0)" in page
    assert page.count("<svg") == 2
    best = openpyxl.load_workbook(out / "best" / "schedule.xlsx")["Meetings"]
    assert best.max_row - 1 == 6


def test_bad_values_exit_2_and_write_nothing(tiny_book: Path, tmp_path: Path):
    out = tmp_path / "plans"
    for args, message in [
        (["--tables", "10,x"], "not a whole number: 'x'"),
        (["--tables", "0"], "tables must be at least 1"),
        (["--spare-tables", "5,lots"], "spare tables 'lots'"),
        (["--meeting-minutes", ","], "give one or more values"),
    ]:
        result = plan(str(tiny_book), *args, "--time-limit", "1", "-o", str(out))
        assert result.exit_code == 2, result.output
        assert message in result.output
    assert not out.exists()


def test_a_missing_input_file_is_a_located_error(tmp_path: Path):
    result = plan(str(tmp_path / "nope.xlsx"), "--time-limit", "1", "-o", str(tmp_path / "plans"))
    assert result.exit_code == 2 and "nope.xlsx" in result.output
    assert not (tmp_path / "plans").exists()
