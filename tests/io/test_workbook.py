"""The reading layer: rows with their sheet row numbers, any kind of workbook,
formulas without a value and Excel errors found, damaged files refused fast."""

from __future__ import annotations

import zipfile
from datetime import date
from datetime import time as clock
from pathlib import Path

import openpyxl
import pytest
from support.workbooks import minimal, write_book

from scheduler.io.read import read_event
from scheduler.io.workbook import EXCEL_ERROR, NO_VALUE, BadCell, Unreadable, open_workbook, scan
from scheduler.problems import InputError

DATA = Path(__file__).parent / "data"


def rows_of(path: Path, title: str) -> list[tuple[int, list[object]]]:
    book = open_workbook(path, path.name)
    try:
        return book.read(title).rows
    finally:
        book.close()


def test_rows_keep_their_sheet_row_numbers_and_blank_rows_are_left_out(tmp_path: Path) -> None:
    book = minimal()
    book["Attendees"][2:2] = [[], [None, "  "]]  # a blank row, then one holding only spaces
    rows = rows_of(write_book(tmp_path / "event.xlsx", book), "Attendees")
    assert [n for n, _ in rows] == [1, 2, 5, 6]
    assert rows[2][1][:2] == ["B1", "Bob Roy"]


def test_values_come_typed(tmp_path: Path) -> None:
    rows = rows_of(write_book(tmp_path / "event.xlsx", minimal()), "Schedule")
    assert rows[1] == (2, [date(2017, 6, 5), clock(9), clock(10), "Meetings", "Morning"])


@pytest.mark.parametrize("name", ["minimal.ods", "minimal.xls"])
def test_libreoffice_and_old_excel_files_read_like_xlsx(name: str) -> None:
    """Saved by LibreOffice from the minimal workbook of tests/support."""
    event = read_event([DATA / name]).event
    assert [a.id for a in event.attendees] == ["A1", "B1", "C1"]
    assert len(event.slots) == 2 and len(event.requests) == 1


def test_a_formula_without_a_computed_value_and_an_excel_error_are_bad_cells(tmp_path: Path) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    workbook = openpyxl.load_workbook(path)
    workbook["Requests"]["C2"] = '="Never"'  # written by a script, never recalculated
    workbook["Requests"]["D2"] = "#REF!"
    workbook["Requests"]["D2"].data_type = "e"
    workbook.save(path)
    rows = rows_of(path, "Requests")
    assert rows[1][1][2:4] == [BadCell(NO_VALUE, '="Never"'), BadCell(EXCEL_ERROR, "#REF!")]


def test_an_ods_formula_without_a_computed_value_is_a_bad_cell(tmp_path: Path) -> None:
    import zipfile

    # minimal.ods with Requests row 2's Priority "High" as a script writes a formula: no value type, no value.
    path = tmp_path / "event.ods"
    with zipfile.ZipFile(DATA / "minimal.ods") as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "content.xml":
                high = (b'<table:table-cell office:value-type="string" calcext:value-type="string">'
                        b"<text:p>High</text:p></table:table-cell>")
                assert data.count(high) == 1
                data = data.replace(high, b'<table:table-cell table:formula="of:=&quot;Ne&quot;&amp;&quot;ver&quot;"/>')
            target.writestr(item, data)
    rows = rows_of(path, "Requests")
    assert rows[1] == (2, ["A1", "B1", BadCell(NO_VALUE, '="Ne"&"ver"')])
    assert rows_of(DATA / "minimal.ods", "Requests")[1] == (2, ["A1", "B1", "High"])


def test_the_scan_reads_prefixed_xml_and_keeps_computed_values() -> None:
    xml = (b'<x:worksheet xmlns:x="main"><x:sheetData><x:row r="3">'
           b'<x:c r="B3"><x:f>1+1</x:f><x:v>2</x:v></x:c>'  # computed: fine
           b'<x:c r="C3" t="str"><x:f>IF(A1,"","")</x:f><x:v></x:v></x:c>'  # an empty text result: fine
           b'<x:c r="D3"><x:f>A1&amp;B1</x:f></x:c>'  # no value
           b'<x:c r="AA3" t="e"><x:v>#N/A</x:v></x:c>'
           b'</x:row></x:sheetData></x:worksheet>')
    assert dict(scan(xml)) == {(3, 3): BadCell(NO_VALUE, "=A1&B1"), (3, 26): BadCell(EXCEL_ERROR, "#N/A")}


def test_malformed_sheet_xml_fails_fast_with_the_file_and_sheet(tmp_path: Path) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    cells = "".join(f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>P{n}</t></is>' for n in range(5, 3000))
    part = "xl/worksheets/sheet4.xml"  # Attendees
    parts[part] = parts[part].replace(b"</sheetData>", cells.encode() + b"</sheetData>")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    book = open_workbook(path, path.name)
    with pytest.raises(Unreadable) as caught:  # `make bench ONLY=read` times it
        book.read("Attendees")
    assert caught.value.problem("event.xlsx").render().startswith(
        "event.xlsx › Attendees: is damaged and cannot be read (")


def test_files_that_are_no_workbook_as_named_say_what_they_are(tmp_path: Path) -> None:
    def why(path: Path) -> str:
        with pytest.raises(Unreadable) as caught:
            open_workbook(path, path.name)
        return caught.value.message

    renamed = tmp_path / "event.docx"
    renamed.write_bytes(write_book(tmp_path / "m.xlsx", minimal()).read_bytes())
    assert why(renamed) == "is an .xlsx workbook under another name; rename it to end in .xlsx"
    for other in ("event.csv", "event.ods", "event.xls"):  # a readable extension, the wrong content
        (tmp_path / other).write_bytes(renamed.read_bytes())
        assert why(tmp_path / other) == "is an .xlsx workbook under another name; rename it to end in .xlsx"
    word = tmp_path / "letter.docx"
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert why(word).startswith("is a Word document, not a workbook")
    (tmp_path / "letter.xlsx").write_bytes(word.read_bytes())
    assert why(tmp_path / "letter.xlsx").startswith("is a Word document, not a workbook")
    lock = tmp_path / "~$event.xlsx"
    lock.write_bytes(b"\x0bAnn Lee" + b" " * 100)
    assert why(lock).startswith("is Excel's lock file: event.xlsx is open in Excel")


def test_a_file_given_twice_is_read_once_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    monkeypatch.chdir(tmp_path)
    result = read_event([path, Path("event.xlsx")])
    assert [a.id for a in result.event.attendees] == ["A1", "B1", "C1"]
    assert "event.xlsx: this file is given twice (also as " + str(path) + "); it is read once" in [
        w.render() for w in result.warnings]


@pytest.mark.parametrize("far", ["XFD1000", "Z1048576"])
def test_a_stray_value_far_outside_the_table_is_a_located_error_not_a_crash(tmp_path: Path, far: str) -> None:
    path = write_book(tmp_path / "event.xlsx", minimal())
    workbook = openpyxl.load_workbook(path)
    workbook["Requests"][far] = "x"
    workbook.save(path)
    with pytest.raises(InputError) as caught:
        read_event([path])
    [problem] = [p for p in caught.value.problems if not p.warning]
    assert problem.render().startswith(f"event.xlsx › Requests: the sheet reaches cell {far}, far outside any table")
    assert "Ctrl+End" in problem.message
