"""Preference forms: one workbook per group, drop-downs on the right lists, readable back."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook

from scheduler.example import write_example
from scheduler.io.contract import SHEET, sheet_key
from scheduler.io.forms import form_members, write_forms
from scheduler.io.read import read_event
from scheduler.model import key_of
from scheduler.problems import InputError

PEOPLE = [  # Attendee, Name, Organization, Delegation, Languages, Team
    ("GA01", "Alice Jones", "Peach Motors", "Georgia", "English", "Peach team"),
    ("GA02", "Bob King", "Peach Motors", "Georgia", "English", "Peach team"),
    ("GA03", "Carla Diaz", "Savannah Logistics", "georgia ", "English; Spanish", None),
    ("QC01", "Hélène Côté", "Moulage Lévis inc.", "Québec", "French", None),
    ("QC02", "François Gagné", "Technologies Laval", "Québec", "French; English", None),
    ("ON01", "Tom Reid", "Lakeshore Tooling", "Ontario", "English", "Lakeshore team"),
    ("ON02", "Amy Wong", "Lakeshore Tooling", "Ontario", "English", "Lakeshore team"),
    ("XX01", "Pat Doe", "Freelance", None, "English", None),
]


def registration(path: Path, people: list = PEOPLE, headers: tuple = ()) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Attendees"
    # Headers as people type them: any case, spaces, a unit in brackets.
    ws.append(list(headers or ("attendee", "NAME", "Organization", "Delegation", "Languages (list)", "team")))
    for row in people:
        ws.append(list(row))
    event = wb.create_sheet("Event")
    event.append(["Setting", "Value"])
    event.append(["Name", "Test Summit"])
    schedule = wb.create_sheet("Schedule")
    schedule.append(["Date", "Start", "End", "Activity"])
    schedule.append([date(2017, 6, 4), time(9), time(12), "Meetings"])
    schedule.append([date(2017, 6, 6), time(9), time(12), "Meetings"])
    wb.save(path)
    return path


@pytest.fixture
def forms(tmp_path: Path) -> dict[str, Path]:
    paths = write_forms([registration(tmp_path / "reg.xlsx")], tmp_path / "forms")
    return {p.name: p for p in paths}


def values(ws: object, min_row: int = 2) -> list[tuple]:
    return [row for row in ws.iter_rows(min_row=min_row, values_only=True) if any(v is not None for v in row)]


def drop_down(wb: Workbook, sheet: str, column: str) -> list[str]:
    """The choices a column of the sheet offers in row 2, read through the Lists sheet."""
    for dv in wb[sheet].data_validations.dataValidation:
        if dv.type == "list" and f"{column}2" in dv.sqref:
            formula = dv.formula1
            if formula.startswith('"'):
                return formula.strip('"').split(",")
            target, cells = formula.split("!")
            return [c.value for row in wb[target][cells.replace("$", "")] for c in row]
    raise AssertionError(f"no drop-down on {sheet} {column}2")


def test_one_form_per_delegation_named_after_it(forms: dict[str, Path]) -> None:
    assert sorted(forms) == ["georgia.xlsx", "no-delegation.xlsx", "ontario.xlsx", "quebec.xlsx"]
    assert all(p.parent.name == "forms" for p in forms.values())


def test_a_form_holds_no_registration_sheet(forms: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(forms["georgia.xlsx"])
    assert wb.sheetnames == ["Instructions", "Catalogue", "Requests", "Unavailable", "Lists", "Form"]
    assert {sheet_key(n) for n in wb.sheetnames} & set(SHEET) == {"requests", "unavailable"}
    assert [wb[n].sheet_state for n in ("Lists", "Form")] == ["hidden", "hidden"]
    # Headings in English and French; the reader ignores the "(...)" after the English name.
    assert [c.value for c in wb["Requests"][1]] == ["From (De)", "To (À)", "Priority (Priorité)", "Note"]
    assert [c.value for c in wb["Unavailable"][1]] == ["Attendee (Participant)", "Date", "Start (Début)", "End (Fin)",
                                                       "Reason (Motif)"]
    assert values(wb["Requests"]) == [] and values(wb["Unavailable"]) == []


def test_catalogue_lists_every_other_attendee(forms: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(forms["quebec.xlsx"])
    ws = wb["Catalogue"]
    assert [c.value for c in ws[1]][:2] == ["Attendee (Participant)", "Name (Nom)"]
    assert [row[0] for row in values(ws)] == ["GA01", "GA02", "GA03", "ON01", "ON02", "XX01"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:H7"
    other = openpyxl.load_workbook(forms["georgia.xlsx"])["Catalogue"]
    assert ("QC01", "Hélène Côté") in [row[:2] for row in values(other)]


def test_drop_downs_offer_the_members_and_everyone_else(forms: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(forms["georgia.xlsx"])
    assert drop_down(wb, "Requests", "A") == ["GA01", "GA02", "GA03"]  # "georgia " is Georgia
    assert drop_down(wb, "Requests", "B") == ["QC01", "QC02", "ON01", "ON02", "XX01", "Lakeshore team"]
    assert drop_down(wb, "Requests", "C") == ["High", "Medium", "Low", "Never"]
    assert drop_down(wb, "Unavailable", "A") == ["GA01", "GA02", "GA03"]
    assert wb["Unavailable"]["B2"].number_format == "yyyy-mm-dd"
    assert wb["Unavailable"]["C2"].number_format == "hh:mm"
    dates = [dv for dv in wb["Unavailable"].data_validations.dataValidation if dv.type == "date"]
    assert [(dv.formula1, dv.formula2) for dv in dates] == [("42890", "42892")]  # 2017-06-04 to 06-06


def test_drop_downs_of_a_big_group_use_ranges_not_inline_lists(tmp_path: Path) -> None:
    people = [(f"ON{i:03d}", f"Person {i}", f"Org {i}", "Ontario", "English", None) for i in range(120)]
    people.append(("GA001", "Zed", "Zed Inc.", "Georgia", "English", None))
    paths = write_forms([registration(tmp_path / "reg.xlsx", people)], tmp_path / "forms")
    wb = openpyxl.load_workbook(next(p for p in paths if p.name == "ontario.xlsx"))
    assert len(drop_down(wb, "Requests", "A")) == 120
    lists = [dv for dv in wb["Requests"].data_validations.dataValidation if dv.type == "list"]
    assert all(len(dv.formula1) < 255 for dv in lists)
    assert any(str(dv.sqref) == "A2:A1801" for dv in lists)  # 1,800 prepared rows: 15 per member


def test_form_members_tells_the_group_of_a_form(forms: dict[str, Path], tmp_path: Path) -> None:
    assert form_members(forms["georgia.xlsx"]) == {"ga01", "ga02", "ga03"}
    assert form_members(forms["no-delegation.xlsx"]) == {"xx01"}
    assert form_members(tmp_path / "reg.xlsx") is None
    form = openpyxl.load_workbook(forms["quebec.xlsx"])["Form"]
    assert [c.value for c in form[1]] == ["Group", "By", "Members"]
    assert [c.value for c in form[2]] == ["Québec", "delegation", "QC01; QC02"]


def test_an_organizer_s_own_sheet_called_form_is_no_preference_form(forms: dict[str, Path], tmp_path: Path) -> None:
    own = tmp_path / "own.xlsx"
    book = openpyxl.load_workbook(forms["georgia.xlsx"])
    book["Form"].sheet_state = "visible"  # the organizer's sheet, not the hidden one `forms` writes
    book.save(own)
    assert form_members(own) is None


def test_forms_by_organization(tmp_path: Path) -> None:
    paths = write_forms([registration(tmp_path / "reg.xlsx")], tmp_path / "orgs", by="organization")
    assert sorted(p.name for p in paths) == ["freelance.xlsx", "lakeshore-tooling.xlsx", "moulage-levis-inc.xlsx",
                                             "peach-motors.xlsx", "savannah-logistics.xlsx",
                                             "technologies-laval.xlsx"]
    wb = openpyxl.load_workbook(tmp_path / "orgs" / "peach-motors.xlsx")
    assert drop_down(wb, "Requests", "A") == ["GA01", "GA02"]
    assert "GA03" in drop_down(wb, "Requests", "B") and "Peach team" not in drop_down(wb, "Requests", "B")
    with pytest.raises(ValueError, match="delegation or by organization"):
        write_forms([tmp_path / "reg.xlsx"], tmp_path / "x", by="country")


def test_bad_registration_is_reported_where_it_is(tmp_path: Path) -> None:
    people = [("GA01", "Alice", "A", "Georgia", "English", None), (None, "Nobody", "B", "Georgia", None, None),
              ("ga01 ", "Alice again", "C", "Georgia", None, None)]
    with pytest.raises(InputError) as caught:
        write_forms([registration(tmp_path / "reg.xlsx", people)], tmp_path / "forms")
    assert [p.render() for p in caught.value.problems] == [
        "reg.xlsx › Attendees › row 3 › Attendee: this cell must be filled in",
        "reg.xlsx › Attendees › row 4 › Attendee: attendee ID already used in reg.xlsx row 2 (found: ga01)",
    ]
    empty = openpyxl.Workbook()
    empty.active.title = "Event"
    empty.save(tmp_path / "event-only.xlsx")
    with pytest.raises(InputError, match="no Attendees sheet"):
        write_forms([tmp_path / "event-only.xlsx"], tmp_path / "forms")
    assert not (tmp_path / "forms").exists()


def test_a_name_written_by_a_formula_never_computed_is_reported_as_such(tmp_path: Path) -> None:
    path = registration(tmp_path / "reg.xlsx", [("GA01", "Alice", "A", "Georgia", "English", None)])
    book = openpyxl.load_workbook(path)
    book["Attendees"]["B2"] = '=UPPER("alice")'  # as a script writes it: no computed value
    book.save(path)
    with pytest.raises(InputError) as caught:
        write_forms([path], tmp_path / "forms")
    assert [p.render() for p in caught.value.problems] == [
        "reg.xlsx › Attendees › row 2 › Name: the formula has no computed value; open and save the file in Excel "
        'or LibreOffice (found: =UPPER("alice"))'
    ]
    assert not (tmp_path / "forms").exists()


def test_filled_form_is_read_beside_the_registration(tmp_path: Path) -> None:
    reg, req = write_example(tmp_path / "summit.xlsx", attendees=60, seed=5, split=True)
    base = read_event([reg, req]).event
    form = write_forms([reg], tmp_path / "forms")[0]
    members = form_members(form)
    me = next(a for a in base.attendees if a.key in members and not a.team)
    asked = {r.pair for r in base.requests}
    them = next(a for a in base.attendees if a.key not in members and a.organization != me.organization
                and set(a.languages) & set(me.languages) and tuple(sorted((me.key, a.key))) not in asked
                and not a.team)
    wb = openpyxl.load_workbook(form)
    wb["Requests"].append([me.id, them.id, "High", "Met in Atlanta"])
    wb["Unavailable"].append([me.id, date(2017, 6, 5), time(10), time(11), "Plant tour"])
    wb.save(form)
    event = read_event([reg, req, form]).event
    request = event.request[tuple(sorted((me.key, them.key)))]
    assert (request.priority, request.note, request.asked_by) == (1, "Met in Atlanta", (me.key,))
    assert len(event.unavailable) == len(base.unavailable) + 1
    assert key_of(me.id) in {u.attendee for u in event.unavailable}


def test_a_form_row_for_someone_outside_the_group_is_located(tmp_path: Path) -> None:
    reg, req = write_example(tmp_path / "summit.xlsx", attendees=60, seed=5, split=True)
    base = read_event([reg, req]).event
    form = write_forms([reg], tmp_path / "forms")[0]
    members = form_members(form)
    outsider = next(a for a in base.attendees if a.key not in members)
    target = next(a for a in base.attendees if a.key in members)
    wb = openpyxl.load_workbook(form)
    first_free = wb["Requests"].max_row + 1
    for row in range(2, first_free):  # forms come with prepared, empty rows
        if wb["Requests"].cell(row, 1).value is None:
            first_free = row
            break
    wb["Requests"].cell(first_free, 1, outsider.id)
    wb["Requests"].cell(first_free, 2, target.id)
    wb.save(form)
    with pytest.raises(InputError) as err:
        read_event([reg, req, form])
    text = "\n".join(p.render() for p in err.value.problems)
    assert f"{form.name} › Requests › row {first_free} › From" in text
    assert "another group" in text


def test_instructions_and_drop_down_help_in_english_and_french(forms: dict[str, Path]) -> None:
    wb = openpyxl.load_workbook(forms["quebec.xlsx"])
    lines = [row[0] for row in wb["Instructions"].iter_rows(values_only=True) if row and row[0]]
    assert lines[0] == "Meeting requests — Québec / Demandes de rencontre — Québec"
    assert "What to do" in lines and "Marche à suivre" in lines
    priority = next(dv for dv in wb["Requests"].data_validations.dataValidation if "C2" in dv.sqref)
    assert priority.error.splitlines() == ["Use High, Medium, Low or Never.", "Utilisez High, Medium, Low ou Never."]
    for sheet in wb.worksheets:
        for dv in sheet.data_validations.dataValidation:  # Excel's limits
            assert len(dv.errorTitle or "") <= 32 and len(dv.error or "") <= 255 and len(dv.prompt or "") <= 255
