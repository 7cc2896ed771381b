"""ICD-10-CM index build: inputs it accepts, release dates, atomic output."""

from __future__ import annotations

import gzip
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from rxassist.icd import IcdIndex
from rxassist.icd_build import DEFAULT_SOURCE, BuildError, build, release_date

TINY = b"""<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2027</version>
  <chapter>
    <name>13</name>
    <desc>Diseases of the musculoskeletal system and connective tissue (M00-M99)</desc>
    <section id="M50-M54">
      <desc>Other dorsopathies (M50-M54)</desc>
      <diag>
        <name>M54</name>
        <desc>Dorsalgia</desc>
        <diag>
          <name>M54.2</name>
          <desc>Cervicalgia</desc>
        </diag>
        <diag>
          <name>M54.5</name>
          <desc>Low back pain</desc>
          <excludes1><note>low back strain (S39.012)</note></excludes1>
          <diag><name>M54.50</name><desc>Low back pain, unspecified</desc>
            <inclusionTerm><note>Lumbago NOS</note></inclusionTerm></diag>
          <diag><name>M54.59</name><desc>Other low back pain</desc></diag>
        </diag>
      </diag>
    </section>
  </chapter>
  <chapter>
    <name>19</name>
    <desc>Injury, poisoning (S00-T88)</desc>
    <section id="S10-S19">
      <desc>Injuries to the neck (S10-S19)</desc>
      <diag>
        <name>S13</name>
        <desc>Dislocation and sprain of joints and ligaments at neck level</desc>
        <sevenChrDef>
          <extension char="A">initial encounter</extension>
          <extension char="D">subsequent encounter</extension>
          <extension char="S">sequela</extension>
        </sevenChrDef>
        <diag>
          <name>S13.4</name>
          <desc>Sprain of ligaments of cervical spine</desc>
          <inclusionTerm><note>Whiplash injury of cervical spine</note></inclusionTerm>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""


def _built(tmp_path: Path, source: Path) -> IcdIndex:
    info = build(source, tmp_path / "out" / "index.json.gz")
    assert info.dest.is_file()
    return IcdIndex.load(info.dest)


def test_build_reads_plain_gzipped_and_zipped_xml(tmp_path: Path) -> None:
    plain = tmp_path / "icd10cm-tabular-2027.xml"
    plain.write_bytes(TINY)
    gz = tmp_path / "tabular.xml.gz"
    gz.write_bytes(gzip.compress(TINY))
    archive = tmp_path / "April-1-2027-Code-Tables-Tabular-and-Index.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Table and Index/icd10cm-tabular-April-2027.xml", TINY)
        zf.writestr("Table and Index/icd10cm-index-April-2027.xml", b"<index/>")
    for source in (plain, gz, archive):
        index = _built(tmp_path, source)
        assert index.billable_count() == 2 + 3 + 1  # M54.2, M54.50/59, S13.4XXA/D/S
        assert index.check("S13.4XXD").ok
        assert index.version == "FY2027"


def test_build_dates_a_base_release_from_the_fiscal_year(tmp_path: Path) -> None:
    plain = tmp_path / "icd10cm-tabular-2027.xml"
    plain.write_bytes(TINY)
    info = build(plain, tmp_path / "index.json.gz")
    assert (info.effective_from, info.effective_to) == (
        date(2026, 10, 1),
        date(2027, 9, 30),
    )
    assert info.release == "October 1, 2026 release"


def test_build_dates_an_update_from_the_zip_name(tmp_path: Path) -> None:
    archive = tmp_path / "April-1-2027-Code-Tables-Tabular-and-Index.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("icd10cm_tabular_2027.xml", TINY)
    info = build(archive, tmp_path / "index.json.gz")
    assert info.effective_from == date(2027, 4, 1)
    assert info.release == "April 1, 2027 update"
    assert IcdIndex.load(info.dest).covers(date(2027, 4, 1))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("icd10cm-tabular-2026-04-01.xml.gz", date(2026, 4, 1)),
        ("icd10c-tabular-April-1-2026.xml", date(2026, 4, 1)),
        ("April 2026 code tables.zip", date(2026, 4, 1)),
        ("icd10cm_tabular_2026.xml", date(2025, 10, 1)),
        ("tabular-2024-04-01.xml", date(2025, 10, 1)),  # outside FY2026: ignored
    ],
)
def test_release_date_comes_from_the_file_name(name: str, expected: date) -> None:
    assert release_date(name, 2026) == expected


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b"<other><version>2026</version></other>",
        b"<ICD10CM.tabular><version>soon</version></ICD10CM.tabular>",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><ICD10CM.tabular/>',
        b"<ICD10CM.tabular><version>2026</version></ICD10CM.tabular>",
    ],
)
def test_build_refuses_what_is_not_a_tabular_file(
    tmp_path: Path, content: bytes
) -> None:
    source = tmp_path / "bad.xml"
    source.write_bytes(content)
    dest = tmp_path / "index.json.gz"
    with pytest.raises(BuildError):
        build(source, dest)
    assert not dest.exists()


def test_build_refuses_a_zip_without_one_tabular_file(tmp_path: Path) -> None:
    archive = tmp_path / "codes.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("icd10cm-index-2027.xml", b"<index/>")
    with pytest.raises(BuildError, match="exactly one tabular"):
        build(archive, tmp_path / "index.json.gz")


def test_build_replaces_the_index_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    source = tmp_path / "icd10cm-tabular-2027.xml"
    source.write_bytes(TINY)
    dest = tmp_path / "index.json.gz"
    dest.write_bytes(b"old")
    build(source, dest)
    assert json.loads(gzip.decompress(dest.read_bytes()))["version"] == "FY2027"
    assert {p.name for p in tmp_path.iterdir()} == {source.name, dest.name}


def test_repository_source_is_the_fy2026_april_update() -> None:
    info_name = DEFAULT_SOURCE.name
    assert info_name == "icd10cm-tabular-2026-04-01.xml.gz"
    assert release_date(info_name, 2026) == date(2026, 4, 1)
