"""Build the compact ICD-10-CM index that rxassist.icd loads, from the CMS tabular XML.

Run ``python -m rxassist.icd_build [SOURCE] [DEST]``; with no arguments it reads the
release kept in ``icd10_data/source/`` and writes ``icd10_data/build/``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET  # noqa: S405 - DOCTYPEs are refused before parsing
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT / "icd10_data" / "source" / "icd10cm-tabular-2026-04-01.xml.gz"
DEFAULT_DEST = ROOT / "icd10_data" / "build" / "icd10cm-index.json.gz"
FORMAT = "rxassist-icd10cm-index/1"

_MONTHS = {
    name: number
    for number, name in enumerate(
        (
            "january february march april may june july august "
            "september october november december"
        ).split(),
        start=1,
    )
}
_NAMED_DATE = re.compile(
    r"(?P<month>" + "|".join(_MONTHS) + r")[-_ ]?(?P<day>\d{1,2})?[-_ ,]*"
    r"(?P<year>20\d\d)",
    re.IGNORECASE,
)
_ISO_DATE = re.compile(r"(?P<year>20\d\d)-(?P<month>\d\d)-(?P<day>\d\d)")
# "7th characters D and S do not apply to codes in category S06 with 6th character 7
# ... or 8 ...": the tabular states these exceptions only in prose.
_SEVENTH_EXCEPTION = re.compile(
    r"7th characters? (?P<chars>[A-Z](?:(?:,|,? and|,? or) [A-Z])*) "
    r"do(?:es)? not apply to codes in (?:category|subcategory) "
    r"(?P<scope>[A-Z0-9.]+) with 6th characters? (?P<sixth>.*)",
)


class BuildError(ValueError):
    """The source is not a usable ICD-10-CM tabular file."""


@dataclass(frozen=True)
class BuildInfo:
    """What a build produced: the release it holds and where it was written."""

    dest: Path
    fiscal_year: int
    version: str
    label: str
    release: str
    effective_from: date
    effective_to: date
    codes: int
    billable: int
    source_name: str
    source_sha256: str


def read_source(source: Path) -> tuple[bytes, str]:
    """The tabular XML bytes and the name they came from (XML, .xml.gz or CMS zip)."""
    source = Path(source)
    if not source.is_file():
        raise BuildError(f"{source} does not exist or is not a file.")
    with source.open("rb") as fh:
        magic = fh.read(4)
    if magic.startswith(b"PK"):
        with zipfile.ZipFile(source) as archive:
            members = [
                name
                for name in archive.namelist()
                if name.lower().endswith(".xml") and "tabular" in name.lower()
            ]
            if len(members) != 1:
                raise BuildError(
                    f"{source.name} must contain exactly one tabular XML file, "
                    f"found {len(members)}."
                )
            return archive.read(members[0]), f"{source.name}/{members[0]}"
    if magic.startswith(b"\x1f\x8b"):
        with gzip.open(source, "rb") as fh:
            return fh.read(), source.name
    return source.read_bytes(), source.name


def release_date(name: str, fiscal_year: int) -> date:
    """The release date a file name states, else October 1 when the FY starts."""
    base = date(fiscal_year - 1, 10, 1)
    end = date(fiscal_year, 9, 30)
    for match in _ISO_DATE.finditer(name):
        found = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if found and base <= found <= end:
            return found
    for match in _NAMED_DATE.finditer(name):
        month = _MONTHS[match["month"].lower()]
        found = _safe_date(int(match["year"]), month, int(match["day"] or 1))
        if found and base <= found <= end:
            return found
    return base


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _notes(element: ET.Element, tag: str) -> list[str]:
    return [
        " ".join((note.text or "").split())
        for block in element.findall(tag)
        for note in block.findall("note")
        if (note.text or "").strip()
    ]


def _seventh_exceptions(element: ET.Element) -> list[tuple[str, set[str], set[str]]]:
    """(code prefix, 6th characters, banned 7th characters) a diag's notes state."""
    found = []
    for text in _notes(element, "notes") + _notes(element, "sevenChrNote"):
        match = _SEVENTH_EXCEPTION.search(text)
        if match:
            chars = set(re.findall(r"\b[A-Z]\b", match["chars"]))
            sixth = set(re.findall(r"(?:^|, or |or |and )([0-9A-Z]) -", match["sixth"]))
            if chars and sixth:
                found.append((match["scope"].replace(".", ""), sixth, chars))
    return found


def _root(xml: bytes) -> tuple[ET.Element, int]:
    """The tabular XML's root and fiscal year, or a BuildError saying what is wrong."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise BuildError("The XML declares a DOCTYPE or entities; refusing it.")
    try:
        root = ET.fromstring(xml)  # noqa: S314 - no DOCTYPE, so no entity expansion
    except ET.ParseError as exc:
        raise BuildError(f"Not well-formed XML: {exc}") from exc
    if root.tag != "ICD10CM.tabular":
        raise BuildError(f"Not an ICD-10-CM tabular file (root element {root.tag}).")
    year_text = (root.findtext("version") or "").strip()
    if not re.fullmatch(r"20\d\d", year_text):
        raise BuildError(f"Unrecognised ICD-10-CM version {year_text!r}.")
    return root, int(year_text)


NOTE_COLUMNS = ("inclusion", "includes", "excludes1", "excludes2")
NOTE_TAGS = ("inclusionTerm", "includes", "excludes1", "excludes2")
Exceptions = list[tuple[str, set[str], set[str]]]


class _Columns:
    """The index's columns, filled one diag at a time, depth first."""

    def __init__(self) -> None:
        self.sevenths: list[list[list[str]]] = []
        self._seventh_ids: dict[str, int] = {}
        keys = ("code", "parent", "chapter", "seventh", "title", *NOTE_COLUMNS)
        self.cols: dict[str, list[Any]] = {key: [] for key in keys}

    def seventh_id(self, chars: list[list[str]]) -> int:
        """The index of a 7th-character table, stored once however often it is used."""
        key = json.dumps(chars)
        if key not in self._seventh_ids:
            self._seventh_ids[key] = len(self.sevenths)
            self.sevenths.append(chars)
        return self._seventh_ids[key]

    def walk(
        self,
        diag: ET.Element,
        parent: int,
        chapter: int,
        seventh: list[list[str]] | None,
        exceptions: Exceptions,
    ) -> None:
        """Add ``diag`` and its children; a leaf keeps the 7th characters it allows."""
        code = (diag.findtext("name") or "").strip()
        own = diag.find("sevenChrDef")
        if own is not None:
            seventh = [
                [ext.get("char", ""), " ".join((ext.text or "").split())]
                for ext in own.findall("extension")
            ]
        exceptions = exceptions + _seventh_exceptions(diag)
        index = len(self.cols["code"])
        children = diag.findall("diag")
        chars = _allowed(code, seventh, exceptions) if not children else None
        self.cols["code"].append(code)
        self.cols["parent"].append(parent)
        self.cols["chapter"].append(chapter)
        self.cols["seventh"].append(self.seventh_id(chars) if chars else -1)
        self.cols["title"].append(" ".join((diag.findtext("desc") or "").split()))
        for key, tag in zip(NOTE_COLUMNS, NOTE_TAGS, strict=True):
            self.cols[key].append(_notes(diag, tag))
        for child in children:
            self.walk(child, index, chapter, seventh, exceptions)


def _allowed(
    code: str, seventh: list[list[str]] | None, exceptions: Exceptions
) -> list[list[str]] | None:
    """The 7th characters a leaf code takes: its table less what a note excludes."""
    if not seventh:
        return None
    flat = code.replace(".", "")
    excluded = {
        char
        for scope, sixth, banned in exceptions
        if flat.startswith(scope) and len(flat) >= 6 and flat[5] in sixth
        for char in banned
    }
    return [pair for pair in seventh if pair[0] not in excluded]


def parse(xml: bytes) -> dict[str, Any]:
    """Parse the tabular XML into the index's columnar, JSON-ready form."""
    root, fiscal_year = _root(xml)
    chapters: list[list[str]] = []
    columns = _Columns()
    for chapter in root.findall("chapter"):
        chapters.append(
            [(chapter.findtext("name") or "").strip(), chapter.findtext("desc") or ""]
        )
        for section in chapter.findall("section"):
            for diag in section.findall("diag"):
                columns.walk(diag, -1, len(chapters) - 1, None, [])
    cols = columns.cols
    if not cols["code"]:
        raise BuildError("The XML holds no diagnosis codes.")
    # Sparse columns: most codes have no notes, so store [index, notes] pairs.
    sparse = {
        key: [[i, notes] for i, notes in enumerate(cols[key]) if notes]
        for key in NOTE_COLUMNS
    }
    return {
        "fiscal_year": fiscal_year,
        "chapters": chapters,
        "sevenths": columns.sevenths,
        **{key: cols[key] for key in ("code", "parent", "chapter", "seventh", "title")},
        **sparse,
    }


def _billable(data: dict[str, Any]) -> int:
    sevenths = data["sevenths"]
    has_children = {p for p in data["parent"] if p >= 0}
    total = 0
    for i, seventh in enumerate(data["seventh"]):
        if seventh >= 0:
            total += len(sevenths[seventh])
        elif i not in has_children:
            total += 1
    return total


def build(
    source: Path | str,
    dest: Path | str = DEFAULT_DEST,
    *,
    release: date | None = None,
) -> BuildInfo:
    """Build the index from a tabular XML, .xml.gz or CMS zip; replace dest atomically.

    The fiscal year comes from the XML; the release date from the file names (for
    example "April-1-2026" or "2026-04-01"), else October 1 before the fiscal year,
    unless ``release`` is given.
    """
    source, dest = Path(source), Path(dest)
    xml, name = read_source(source)
    data = parse(xml)
    fiscal_year = int(data["fiscal_year"])
    start = release or release_date(name, fiscal_year)
    end = date(fiscal_year, 9, 30)
    if not date(fiscal_year - 1, 10, 1) <= start <= end:
        raise BuildError(f"Release date {start} lies outside FY{fiscal_year}.")
    is_update = start != date(fiscal_year - 1, 10, 1)
    billable = _billable(data)
    release_text = f"{start:%B} {start.day}, {start.year} " + (
        "update" if is_update else "release"
    )
    info = {
        "format": FORMAT,
        "version": f"FY{fiscal_year}",
        "label": f"ICD-10-CM FY{fiscal_year}",
        "release": release_text,
        "effective_from": start.isoformat(),
        "effective_to": end.isoformat(),
        "source_name": name,
        "source_sha256": hashlib.sha256(xml).hexdigest(),
        "billable": billable,
    }
    payload = json.dumps({**info, **data}, separators=(",", ":"), ensure_ascii=False)
    _write_gzip_atomically(dest, payload.encode())
    return BuildInfo(
        dest=dest,
        fiscal_year=fiscal_year,
        version=str(info["version"]),
        label=str(info["label"]),
        release=release_text,
        effective_from=start,
        effective_to=end,
        codes=len(data["code"]),
        billable=billable,
        source_name=name,
        source_sha256=str(info["source_sha256"]),
    )


def _write_gzip_atomically(dest: Path, payload: bytes) -> None:
    """Write ``payload`` gzipped (reproducibly: no name, no time) in place of dest."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with (
            os.fdopen(fd, "wb") as raw,
            gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
            ) as fh,
        ):
            fh.write(payload)
        # mkstemp makes the file 0600; the app may run as another user.
        os.chmod(tmp, 0o644)  # noqa: S103
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    """Command line: build the index and print one line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("dest", nargs="?", type=Path, default=DEFAULT_DEST)
    args = parser.parse_args(argv)
    try:
        info = build(args.source, args.dest)
    except (BuildError, OSError, zipfile.BadZipFile) as exc:
        parser.exit(1, f"icd_build: {exc}\n")
    try:
        shown = info.dest.relative_to(Path.cwd())
    except ValueError:
        shown = info.dest
    print(
        f"{info.label} ({info.release}): {info.codes:,} tabular entries, "
        f"{info.billable:,} billable codes with 7th characters expanded -> {shown}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
