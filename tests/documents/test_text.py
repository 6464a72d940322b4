"""Names in any script print and read back from the PDF unchanged."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from scheduler.documents import render_agendas
from scheduler.documents.text import FONT_PACKAGES, printable

LEFT_TO_RIGHT = {"C01": "王小明", "V01": "Nguyễn Thị Thu Hằng", "K01": "김민준", "J01": "山田 花子",
                 "R01": "Анна Петрова", "G01X": "Ελένη Παπαδοπούλου"}
ARABIC = "محمد عبد الله"


@pytest.fixture
def agendas(kit, tmp_path):
    names = {**LEFT_TO_RIGHT, "A01": ARABIC}
    if not printable("".join(names.values())) and not os.environ.get("CI"):
        pytest.skip(f"fonts not installed here (apt-get install {FONT_PACKAGES}); CI installs them")
    assert printable("".join(names.values()))
    people = [kit.person(key, name, "Org", "Buyer", "Ontario") for key, name in names.items()]
    event = kit.make_event(kit.tiny_attendees() + people, kit.tiny_blocks(), kit.tiny_requests())
    return render_agendas(event, kit.tiny_schedule(event), tmp_path / "a.pdf", attendee_keys=list(names))


def first_lines(path) -> list[str]:
    texts = (page.extract_text() for page in PdfReader(path).pages)
    return [text.splitlines()[0] for text in texts if text.strip()]  # duplex leaves blank backs


def test_chinese_vietnamese_and_other_names_extract_back_unchanged(agendas):
    assert set(LEFT_TO_RIGHT.values()) <= set(first_lines(agendas))


def test_an_arabic_name_reads_back_in_reading_order(agendas):
    # pypdf reverses the letters of each right-to-left word but not the order of the
    # words; poppler applies the Unicode bidi algorithm, as PDF viewers do. The letters
    # are printed joined (presentation forms), so copied text is compared after NFKC.
    if shutil.which("pdftotext") is None and not os.environ.get("CI"):
        pytest.skip("pdftotext (poppler-utils) not installed; CI installs it")
    text = subprocess.run(["pdftotext", str(agendas), "-"], capture_output=True, text=True, check=True).stdout
    # Copied Arabic comes in joined presentation forms; NFKC gives back the letters typed.
    lines = [unicodedata.normalize("NFKC", line.strip("\u202a\u202b\u202c")) for line in text.splitlines()]
    assert ARABIC in lines
    assert any(set(unicodedata.normalize("NFKC", line).split()) == set(ARABIC.split())
               for line in first_lines(agendas))
