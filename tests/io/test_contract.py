"""docs/workbook.md stays in step with io/contract.py: every sheet, column and setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scheduler.io.contract import SETTINGS, SHEETS

DOC = Path(__file__).resolve().parents[2] / "docs" / "workbook.md"


def sections() -> dict[str, str]:
    """Sheet name -> the text of its "## Sheet ..." section."""
    parts = re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {part.split()[0]: part for part in parts[1:]}


def table_names(text: str) -> set[str]:
    """First cells of the markdown table rows in ``text``."""
    return {m.group(1).strip() for m in re.finditer(r"^\| ([^|]+) \|", text, flags=re.M)}


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.name)
def test_every_sheet_and_column_is_documented(sheet) -> None:
    found = sections()
    key = sheet.name.split()[0]
    assert key in found, f"docs/workbook.md has no section ## {sheet.name}"
    assert found[key].startswith(sheet.name)
    documented = table_names(found[key]) | set(re.findall(r"`([^`]+)`", found[key]))
    assert {c.name for c in sheet.columns} <= documented


def test_every_setting_is_documented_with_its_default() -> None:
    rows: dict[str, str] = {}
    for m in re.finditer(r"^\| ([^|]+) \|.*$", sections()["Event"], flags=re.M):
        rows.setdefault(m.group(1).strip(), m.group(0))  # the settings table comes before the example
    for setting in SETTINGS:
        assert setting.name in rows, f"setting {setting.name} is not in docs/workbook.md"
        if setting.default not in (None, ""):
            cells = [c.strip() for c in rows[setting.name].split("|")]
            assert str(setting.default) in cells[3], (setting.name, cells[3])


def test_the_readme_and_the_template_point_to_it(tmp_path: Path) -> None:
    import openpyxl

    from scheduler.io.template import write_template

    readme = (DOC.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "docs/workbook.md" in readme and "shared/design" not in readme
    sheet = openpyxl.load_workbook(write_template(tmp_path / "template.xlsx"))["Instructions"]
    assert any("docs/workbook.md" in str(c.value) for row in sheet.iter_rows() for c in row)
