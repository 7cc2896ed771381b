"""Reading an ICD-10-CM search query: sides, encounters, spine levels, fragments."""

from __future__ import annotations

import pytest

from rxassist.icd import IcdIndex
from rxassist.icd_query import (
    BILATERAL,
    INITIAL,
    LEFT,
    RIGHT,
    SEQUELA,
    SUBSEQUENT,
    parse,
    words,
)


@pytest.mark.parametrize(
    ("query", "side"),
    [
        ("knee pain L", LEFT),
        ("knee pain l", LEFT),
        ("oa hand r", RIGHT),
        ("R shoulder pain", RIGHT),
        ("hip pain rt", RIGHT),
        ("hip pain lt", LEFT),
        ("right knee pain", RIGHT),
        ("Left ankle sprain", LEFT),
        ("bilateral knee pain", BILATERAL),
        ("carpal tunnel both", BILATERAL),
        ("knee pain", 0),
        ("herniated disc L4-L5", 0),
        ("lumbar radiculopathy r/o disc", 0),
        ("low back pain s/p fall", 0),
    ],
)
def test_parse_reads_the_side(query: str, side: int) -> None:
    assert parse(query).side == side


@pytest.mark.parametrize(
    ("query", "encounter"),
    [
        ("neck sprain initial", INITIAL),
        ("neck sprain init", INITIAL),
        ("neck sprain subsequent", SUBSEQUENT),
        ("neck sprain subsequent visit", SUBSEQUENT),
        ("strain lower back sub", SUBSEQUENT),
        ("hamstring strain follow up", SUBSEQUENT),
        ("hamstring strain follow-up", SUBSEQUENT),
        ("hamstring strain followup", SUBSEQUENT),
        ("hamstring strain f/u", SUBSEQUENT),
        ("hamstring strain fu", SUBSEQUENT),
        ("wrist fracture healing", SUBSEQUENT),
        ("wrist fracture routine healing", SUBSEQUENT),
        ("ankle sprain sequela", SEQUELA),
        ("ankle sprain sequelae", SEQUELA),
        ("ankle sprain late effect", SEQUELA),
        ("ankle sprain late effects", SEQUELA),
        ("ankle sprain", None),
        ("pain following surgery", None),
    ],
)
def test_parse_reads_the_encounter(query: str, encounter: str | None) -> None:
    assert parse(query).encounter == encounter


def test_parse_never_reads_following_as_follow_up() -> None:
    query = parse("hamstring strain following")
    assert query.encounter is None
    assert query.required == ["hamstring", "strain", "following"]


def test_parse_keeps_side_and_encounter_words_out_of_the_required_words(
    icd: IcdIndex,
) -> None:
    query = icd.parse("distal radius fracture right subsequent routine healing")
    assert query.side == RIGHT and query.encounter == SUBSEQUENT
    assert query.required == ["distal", "radius", "fracture"]
    assert {"subsequent", "routine", "healing"} <= set(query.soft)


def test_parse_reads_spine_levels_as_droppable_with_their_region() -> None:
    query = parse("herniated disc L4-L5")
    levels = [t for t in query.terms if t.droppable]
    assert [t.word for t in levels] == ["l4", "l5", "lumbar"]
    assert [t.region for t in levels] == [False, False, True]


def test_parse_makes_external_causes_beside_a_condition_droppable() -> None:
    query = parse("cervical sprain motor vehicle accident initial")
    assert {t.word for t in query.terms if t.droppable} == {
        "motor",
        "vehicle",
        "accident",
    }
    assert query.injury and not query.external_only
    assert parse("fall from ladder").external_only


def test_parse_joins_equivalent_phrases_into_one_term() -> None:
    query = parse("temporomandibular joint pain")
    assert query.required == ["temporomandibular joint", "pain"]
    assert ("tmj",) in query.terms[0].phrases
    assert parse("CRPS left leg").terms[1].phrases == (
        ("leg",),
        ("lower", "limb"),
        ("lower", "extremity"),
    )


@pytest.mark.parametrize(
    ("query", "fragments"),
    [("m54 back pain", ("M54",)), ("back pain", ()), ("t12 fracture", ())],
)
def test_parse_reads_code_fragments(query: str, fragments: tuple[str, ...]) -> None:
    assert parse(query).fragments == fragments


@pytest.mark.parametrize(
    ("query", "injury"),
    [
        ("sprained ankle", True),
        ("whiplash", True),
        ("neck pain car accident", True),
        ("sciatica right leg", False),
        ("herniated disc L4-L5", False),
    ],
)
def test_parse_knows_an_injury_word(query: str, injury: bool) -> None:
    assert parse(query).injury is injury


def test_parse_reads_without_and_qualifiers() -> None:
    assert parse("migraine w/o aura").says_without
    assert not parse("migraine with aura").says_without
    assert {t.word for t in parse("post op scar").terms if t.droppable} == {
        "post",
        "op",
    }


def test_words_fold_stem_and_drop_stop_words() -> None:
    assert words("Sprains of the Knee's ligaments") == ["sprain", "knee", "ligament"]
    assert words("Épicondylite r") == ["epicondylite"]
