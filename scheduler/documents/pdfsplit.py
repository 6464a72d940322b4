"""Copy page ranges out of a PDF that reportlab wrote, byte for byte.

Per-attendee agendas are pages of the big ``agendas.pdf``. pypdf can copy
them out, but it re-parses and re-serializes the embedded fonts for every
file (about 5 ms each: half a minute for 5,000 attendees). Reportlab's output
is simple — a classic xref table, one flat page tree, fonts shared by all
pages — so a small file is assembled here from the original bytes of the
objects its pages need (same object numbers; the xref simply skips the
rest), plus a new page tree, catalog and info. Anything unexpected raises
:class:`ValueError` and the caller falls back to pypdf.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

_REF = re.compile(rb"(\d+) 0 R\b")
_PARENT = re.compile(rb"/Parent \d+ 0 R")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")


class RawPdf:
    """The objects of a PDF with a classic xref table, as raw bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        start = data.rfind(b"startxref")
        if start < 0:
            raise ValueError("no startxref")
        xref_at = int(data[start + 9:].split()[0])
        trailer_at = data.find(b"trailer", xref_at)
        if data[xref_at:xref_at + 4] != b"xref" or trailer_at < 0:
            raise ValueError("not a classic xref table")
        offsets = self._offsets(data[xref_at + 4:trailer_at].split())
        ends = sorted(offsets.values()) + [xref_at]
        following = dict(zip(ends, ends[1:], strict=False))
        self.objects: dict[int, bytes] = {}
        for num, at in offsets.items():
            raw = data[at:following[at]]
            end = raw.rfind(b"endobj")
            if end < 0 or not raw.startswith(b"%d 0 obj" % num):
                raise ValueError(f"object {num} not where the xref says")
            self.objects[num] = raw[:end + 6] + b"\n"
        self.header = data[:min(offsets.values())]
        self.size = max(offsets) + 1
        root = re.search(rb"/Root (\d+) 0 R", data[trailer_at:])
        if root is None:
            raise ValueError("no /Root")
        pages = re.search(rb"/Pages (\d+) 0 R", self.objects[int(root.group(1))])
        if pages is None:
            raise ValueError("no /Pages")
        self.pages = self._leaves(int(pages.group(1)))
        self._needs: dict[int, frozenset[int]] = {}

    @staticmethod
    def _offsets(tokens: list[bytes]) -> dict[int, int]:
        offsets, at = {}, 0
        while at < len(tokens):
            first, count = int(tokens[at]), int(tokens[at + 1])
            at += 2
            for num in range(first, first + count):
                offset, kind = int(tokens[at]), tokens[at + 2]
                if kind == b"n":
                    offsets[num] = offset
                at += 3
        return offsets

    def _dict_part(self, num: int) -> bytes:
        """The object without its stream data (binary data may look like '1 0 R')."""
        raw = self.objects[num]
        cut = raw.find(b"stream\n")
        cut = raw.find(b"stream\r\n") if cut < 0 else cut
        return raw if cut < 0 else raw[:cut]

    def _leaves(self, num: int) -> list[int]:
        """Page objects of a page tree, in order."""
        body = self._dict_part(num)
        if b"/Type /Pages" not in body:
            return [num]
        kids = _KIDS.search(body)
        if kids is None:
            raise ValueError(f"page tree node {num} without /Kids")
        return [leaf for ref in _REF.findall(kids.group(1)) for leaf in self._leaves(int(ref))]

    def needs(self, num: int, active: frozenset[int] = frozenset()) -> frozenset[int]:
        """An object and everything it refers to, except its parent page node.
        Cached per object: every page shares the same fonts."""
        found = self._needs.get(num)
        if found is None:
            active = active | {num}  # guards against reference cycles
            refs = {int(r) for r in _REF.findall(_PARENT.sub(b"", self._dict_part(num)))}
            found = frozenset({num}).union(*(self.needs(r, active) for r in refs
                                             if r in self.objects and r not in active))
            self._needs[num] = found
        return found

    def extract(self, first: int, stop: int, title: str) -> bytes:
        """A PDF of pages ``first`` to ``stop - 1`` (0-based)."""
        return self.extract_objects(self.pages[first:stop], title)

    def extract_objects(self, pages: list[int], title: str) -> bytes:
        """A PDF of the given page objects, in that order."""
        if not pages:
            raise ValueError("no pages")
        wanted = sorted(frozenset().union(*(self.needs(p) for p in pages)))
        tree, catalog, info = self.size, self.size + 1, self.size + 2
        out = bytearray(self.header)
        offsets: dict[int, int] = {}
        page_set = set(pages)
        for num in wanted:
            offsets[num] = len(out)
            raw = self.objects[num]
            out += _PARENT.sub(b"/Parent %d 0 R" % tree, raw) if num in page_set else raw
        kids = b" ".join(b"%d 0 R" % p for p in pages)
        added = {
            tree: b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(pages), kids),
            catalog: b"<< /Type /Catalog /Pages %d 0 R /PageMode /UseNone >>" % tree,
            info: b"<< /Title <%s> /Creator (scheduler) /Producer (scheduler) >>"
                  % ("\ufeff" + title).encode("utf-16-be").hex().encode(),
        }
        for num, body in added.items():
            offsets[num] = len(out)
            out += b"%d 0 obj\n%s\nendobj\n" % (num, body)
        xref_at = len(out)
        out += b"xref\n" + _xref(offsets)
        ident = hashlib.md5(bytes(out)).hexdigest().encode()
        out += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s><%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                % (info + 1, catalog, info, ident, ident, xref_at))
        return bytes(out)


def _xref(offsets: dict[int, int]) -> bytes:
    """Subsections of consecutive object numbers; object 0 is the free head."""
    rows = [b"0 1\n0000000000 65535 f \n"]
    nums = sorted(offsets)
    run: list[int] = []
    for num in nums + [-1]:
        if run and num != run[-1] + 1:
            rows.append(b"%d %d\n" % (run[0], len(run)) + b"".join(b"%010d 00000 n \n" % offsets[n] for n in run))
            run = []
        run.append(num)
    return b"".join(rows)


def page_count(source: bytes) -> int:
    return len(RawPdf(source).pages)


def extract_pages(source: bytes, numbers: list[int], title: str) -> bytes:
    """One PDF of the given 1-based pages of ``source``, in that order."""
    pdf = RawPdf(source)
    return pdf.extract_objects([pdf.pages[n - 1] for n in numbers], title)


def split(source: bytes, starts: list[int], paths: list[Path], titles: list[str],
          ends: list[int] | None = None) -> None:
    """Write each part of ``source`` to its path; ``starts`` are the parts'
    1-based first pages, in order; ``ends`` their last pages (by default a
    part runs to the next one's start; given, the pages between are left out)."""
    pdf = RawPdf(source)
    stops = ends or [s - 1 for s in starts[1:]] + [len(pdf.pages)]
    for first, stop, path, title in zip(starts, stops, paths, titles, strict=True):
        path.write_bytes(pdf.extract(first - 1, stop, title))
