"""The message catalogue: every string the documents show has its French."""

from __future__ import annotations

import re

from scheduler import catalogue
from scheduler.i18n import LOCALES, SOURCE_LANGUAGE

TRANSLATED = [lang for lang in LOCALES if lang != SOURCE_LANGUAGE]


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w*)\}|%\((\w+)\)", text))


def test_every_string_in_the_code_has_a_translation():
    for language in TRANSLATED:
        assert catalogue.missing(language) == [], f"run python -m scheduler.catalogue and translate ({language})"


def test_the_catalogue_holds_no_string_the_code_no_longer_uses():
    used = {m.id for m in catalogue.template() if m.id}
    for language in TRANSLATED:
        stale = [m.id for m in catalogue.read(language) if m.id and m.id not in used]
        assert stale == []


def test_translations_keep_the_placeholders():
    for language in TRANSLATED:
        for message in catalogue.read(language):
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = placeholders(ids[-1])
            assert all(placeholders(s) == wanted for s in strings), message.id


def test_strings_marked_in_the_agendas_are_found_by_the_extractor():
    found = {m.id for m in catalogue.template()}
    assert {"Nothing is scheduled for you yet.", ("{count} meeting", "{count} meetings"), "Meetings"} <= found
    assert "Attendee ID, unique." in found  # the contract's help, shown in the template
