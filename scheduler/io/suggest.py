""""Did you mean ...?": the closest known header, ID or time zone to a mistyped one."""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Sequence
from zoneinfo import available_timezones

from scheduler.io.contract import header_key

# Abbreviations people type for a time zone, and the IANA zones they mean.
ABBREVIATIONS = {
    "est": "America/Toronto", "edt": "America/Toronto", "et": "America/Toronto", "eastern": "America/Toronto",
    "cst": "America/Chicago", "cdt": "America/Chicago", "ct": "America/Chicago",
    "mst": "America/Denver", "mdt": "America/Denver", "mt": "America/Denver",
    "pst": "America/Vancouver", "pdt": "America/Vancouver", "pt": "America/Vancouver",
    "ast": "America/Halifax", "adt": "America/Halifax", "nst": "America/St_Johns", "ndt": "America/St_Johns",
    "gmt": "Europe/London", "bst": "Europe/London", "cest": "Europe/Paris", "eest": "Europe/Athens",
    "msk": "Europe/Moscow", "ist": "Asia/Kolkata", "jst": "Asia/Tokyo", "hst": "Pacific/Honolulu",
    "aest": "Australia/Sydney",
}
# IANA names that keep one offset all year, which people write for a zone whose
# clocks change (EST for Toronto): refused, as every summer entry would be an
# hour off. Etc/GMT+5 says a fixed offset on purpose and is accepted; so are
# EST5EDT, CET and the like, which follow summer time, and HST, which is
# Hawaii's time all year.
FIXED_MISREAD = frozenset({"est", "mst", "gmt", "gmt0", "gmt+0", "gmt-0", "greenwich"})
ALWAYS_FINE = frozenset({"UTC", "Etc/UTC"})


# Other words organizers use for a column (registration exports), and the column they mean.
SYNONYMS = {header_key(word): column for word, column in (
    ("Company", "Organization"), ("Organisation", "Organization"), ("Employer", "Organization"),
    ("Firm", "Organization"), ("Email address", "Email"), ("E-mail", "Email"), ("E-mail address", "Email"),
    ("Mail", "Email"), ("Full name", "Name"), ("ID", "Attendee"), ("State", "Delegation"),
    ("Province", "Delegation"), ("State/Province", "Delegation"), ("Country", "Delegation"))}


def header(written: str, columns: Sequence[str]) -> str | None:
    """The contract column a header was probably meant to be (``Priorty`` -> ``Priority``,
    ``Company`` -> ``Organization``)."""
    keys = {header_key(c): c for c in columns}
    synonym = SYNONYMS.get(header_key(written))
    if synonym is not None and header_key(synonym) in keys:
        return synonym
    found = difflib.get_close_matches(header_key(written), list(keys), n=1, cutoff=0.7)
    return keys[found[0]] if found else None


def _digits_folded(key: str) -> str:
    """P09 and P9 alike: leading zeros of each number dropped."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0))), key)


def closest(key: str, known: Sequence[str], label: Callable[[str], str], n: int = 3) -> str:
    """ ``; did you mean P09 (Ines Miller)?`` for the known keys nearest to ``key``, or ""."""
    folded = _digits_folded(key)
    same = [k for k in known if _digits_folded(k) == folded]
    found = same or difflib.get_close_matches(key, known, n=n, cutoff=0.75)
    if not found:
        return ""
    return "; did you mean " + " or ".join(label(k) for k in found[:n]) + "?"


@functools.cache
def _all_zones() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones()}


@functools.cache
def _zones() -> dict[str, str]:
    return {z.casefold(): z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/"))}


def time_zone(written: str) -> tuple[str | None, str]:
    """(the IANA name, "") when ``written`` is one we accept, else (None, why, with a suggestion)."""
    name = written.strip()
    if name in ALWAYS_FINE:
        return name, ""
    folded = name.casefold().replace(" ", "_")
    if folded in FIXED_MISREAD:
        return None, (f"{name} keeps one offset all year, so where clocks change for summer every calendar entry "
                      f"would be an hour off; use the venue city's zone, did you mean {ABBREVIATIONS[folded]}?")
    known = _all_zones().get(folded)
    if known == name:
        return name, ""
    if folded in ABBREVIATIONS:
        return None, f"an abbreviation, not a time zone name; use the venue city's zone, did you mean {ABBREVIATIONS[folded]}?"
    if known:
        return None, f"not a time zone as written; did you mean {known}?"
    zones = _zones()
    cities = {z.rsplit("/", 1)[-1].casefold(): z for z in zones.values()}
    city = folded.rsplit("/", 1)[-1]
    match = cities.get(city) or next(iter(
        [zones[m] for m in difflib.get_close_matches(folded, list(zones), n=1, cutoff=0.7)]
        + [cities[m] for m in difflib.get_close_matches(city, list(cities), n=1, cutoff=0.75)]), None)
    hint = f"; did you mean {match}?" if match else "; use an IANA name such as America/Toronto"
    return None, "not a time zone" + hint
