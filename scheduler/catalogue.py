"""The message catalogue's upkeep: which strings the code shows, and the .po files.

``python -m scheduler.catalogue`` extracts every marked string with Babel's
extractors (``_``, ``gettext``, ``ngettext``, ``N_``, ``NN_`` in the Python source, the
same in the web page's Jinja templates) plus the help texts of the workbook
contract (:mod:`scheduler.io.contract`, shown in the template's instructions),
and merges them into each ``scheduler/locale/<lang>/LC_MESSAGES/scheduler.po``:
new strings come in untranslated, translations of vanished strings are
dropped. The test ``tests/test_catalogue.py`` fails while a string has no
translation, so a new string cannot reach a French agenda in English.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from scheduler.i18n import DOMAIN, LOCALES, SOURCE_LANGUAGE, po_path

PACKAGE = Path(__file__).parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def contract_texts() -> list[str]:
    """The contract's help words (written once there for the reader, the template and the forms)."""
    from scheduler.io.contract import SETTINGS, SHEETS

    texts = [s.help for s in SHEETS] + [c.help for s in SHEETS for c in s.columns] + [s.help for s in SETTINGS]
    return [t for t in texts if t]


@cache
def extracted() -> tuple[tuple, ...]:
    """(file, line, message, comments, context) of every marked string (read once per process)."""
    return tuple(extract_from_dir(PACKAGE, METHODS, keywords={**DEFAULT_KEYWORDS, "NN_": (1, 2)},
                                  comment_tags=("TRANSLATORS:",), strip_comment_tags=True))


def template() -> Catalog:
    """Every string the code can show, as a catalogue without translations."""
    catalog = Catalog(domain=DOMAIN, project="scheduler", fuzzy=False)
    for filename, line, message, comments, context in extracted():
        catalog.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    for text in contract_texts():
        catalog.add(text, locations=[("io/contract.py", 0)])
    return catalog


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=LOCALES[language], domain=DOMAIN, project="scheduler")
    with path.open("rb") as po:
        return read_po(po, locale=LOCALES[language], domain=DOMAIN)


def update(language: str) -> Path:
    """Merge the strings of the code into the language's .po (sorted, so diffs stay small)."""
    catalog = read(language)
    fresh = template()
    fresh.creation_date = catalog.creation_date  # the header changes only when strings do
    catalog.update(fresh, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.fuzzy = False  # a fuzzy header would be left out of the compiled catalogue
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=110, sort_output=True, omit_header=False, include_lineno=False)
    return path


def missing(language: str) -> list[str]:
    """Strings the code shows that have no (or a fuzzy) translation in the language's .po."""
    catalog = read(language)
    gaps = []
    for message in template():
        if not message.id:
            continue
        known = catalog.get(message.id, message.context)
        strings = known.string if known is not None else None
        texts = strings if isinstance(strings, tuple) else (strings,)
        if known is None or known.fuzzy or not all(texts):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def main() -> None:
    for language in LOCALES:
        if language != SOURCE_LANGUAGE:
            path = update(language)
            gaps = missing(language)
            print(f"{path}: {len(gaps)} to translate", file=sys.stderr)


if __name__ == "__main__":
    main()
