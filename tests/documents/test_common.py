from __future__ import annotations

from scheduler.documents.common import file_names
from scheduler.model import Attendee


def test_file_names_keep_non_latin_ids_and_never_clash():
    ids = ["東京01", "01", "A 1", "a-1", "Émilie", "emilie", "CON", "!!!", "???", "محمد"]
    names = file_names([Attendee(id=i, name=i) for i in ids])
    stems = list(names.values())
    assert names["東京01"] == "東京01" and names["01"] == "01" and names["محمد"] == "محمد"
    assert len({s.casefold() for s in stems}) == len(ids)  # distinct even where case does not count
    assert all(s and "/" not in s and not s.startswith(".") for s in stems)
    assert names["con"] != "con"  # a name Windows reserves
