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
    site_contains,
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
    assert query.required == ["hamstring", "strain"]  # a connector, no word to find


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
    assert {t.word for t in query.terms if t.droppable and not t.region} == {
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
    post_op = [t for t in parse("post op scar").terms if t.droppable]
    assert [t.word for t in post_op] == ["post op"]
    assert ("postprocedural",) in post_op[0].phrases


def test_words_fold_stem_and_drop_stop_words() -> None:
    assert words("Sprains of the Knee's ligaments") == ["sprain", "knee", "ligament"]
    assert words("Épicondylite r") == ["epicondylite"]


@pytest.mark.parametrize(
    ("query", "side", "required"),
    [
        ("b/l carpal tunnel", BILATERAL, ["carpal", "tunnel"]),
        ("cts b / l", BILATERAL, ["cts"]),
        ("bil knee pn", BILATERAL, ["knee", "pain"]),
        ("rt knee pn", RIGHT, ["knee", "pain"]),
        ("c-spine pain", 0, ["cervical", "spine", "pain"]),
        ("crps LLE", LEFT, ["crp", "leg"]),
        ("lymphedema RUE", RIGHT, ["lymphedema", "arm"]),
        ("sciatic pain rigth", RIGHT, ["sciatic", "pain"]),
        ("knee pain lfet", LEFT, ["knee", "pain"]),
        # "tight" is one letter from "right" but no swap of it: never a side.
        ("tight heel cord", 0, ["tight", "heel", "cord"]),
        ("tth chronic", 0, ["tension", "type", "headache", "chronic"]),
    ],
)
def test_parse_expands_shorthand_from_the_data(
    query: str, side: int, required: list[str]
) -> None:
    parsed = parse(query)
    assert parsed.side == side
    assert parsed.required == required


def test_parse_reads_level_ranges_and_joined_regions() -> None:
    assert parse("C5-6 hnp").required[:2] == ["c5", "c6"]
    assert parse("hnp L4-5").required[1:3] == ["l4", "l5"]
    regions = [t.word for t in parse("hnp L5-S1").terms if t.region]
    assert regions == ["lumbosacral"]
    assert [t.word for t in parse("ddd T12-L1").terms if t.region] == ["thoracolumbar"]


@pytest.mark.parametrize(
    ("query", "pregnancy", "soft"),
    [
        ("low back pain pregnant 3rd tri", True, {"third", "trimester"}),
        ("round ligament pain 30 weeks", True, {"third", "trimester"}),
        ("pregnancy back pain 2nd trimester", True, {"second", "trimester"}),
        ("sciatica 16 weeks pregnant", True, {"second", "trimester"}),
        ("knee pain 6 weeks", False, set()),
        ("first metatarsal fracture", False, set()),
    ],
)
def test_parse_reads_a_pregnancy_and_its_trimester(
    query: str, pregnancy: bool, soft: set[str]
) -> None:
    parsed = parse(query)
    assert parsed.pregnancy is pregnancy
    assert soft <= set(parsed.soft)
    assert not soft or "first" not in parsed.required


def test_parse_makes_a_body_site_droppable_only_beside_a_condition() -> None:
    sites = [t.word for t in parse("numbness R hand").terms if t.site]
    assert sites == ["hand"] and parse("numbness R hand").terms[1].droppable
    assert not any(t.droppable for t in parse("hand").terms)
    assert not any(t.site for t in parse("knee hip").terms)


def test_parse_reads_visits_ages_and_negation_scope() -> None:
    assert parse("bruised L knee first visit").encounter == INITIAL
    assert parse("bruised L knee first visit").injury  # "bruised" = contusion
    assert "adolescent" in parse("idiopathic scoliosis age 14").required
    assert "juvenile" in parse("scoliosis 7 yo").required
    assert parse("migraine w/o aura, intractable").negated == {"aura"}
    assert parse("migraine with aura not intractable").negated == {"intractable"}
    assert parse("hurts when lifting").required[0] == "hurt"
    assert ("pain",) in parse("hurts when lifting").terms[0].phrases


def test_parse_names_the_ordinal_of_a_single_vertebra_last() -> None:
    assert parse("T4 compression fx").terms[-1].word == "fourth"
    assert parse("T4 compression fx").terms[-1].droppable
    assert "fifth" not in parse("C5-6 hnp").required  # a range names its levels


@pytest.mark.parametrize(
    ("site", "other", "contains"),
    [
        ("shin", "leg", True),  # "Contusion of lower leg"
        ("leg", "thigh", True),  # a whole limb holds its sites
        ("knee", "hip", False),  # "total knee replacement" never finds a hip
        ("hand", "foot", False),
    ],
)
def test_site_contains_reads_the_limb_of_a_site(
    site: str, other: str, contains: bool
) -> None:
    assert site_contains(site, other) is contains


def test_parse_reads_a_paired_site_in_the_plural_as_a_hint_not_a_side() -> None:
    assert parse("sore knees").plural and parse("sore knees").side == 0
    assert parse("flat feet").plural
    assert not parse("sore knees left").plural  # a side typed wins
    assert parse("sore knees left").side == LEFT
    assert not parse("knee pain").plural


def test_parse_weighs_a_cause_or_time_beside_a_condition_less() -> None:
    terms = parse("jaw pain from chewing gum").terms
    assert [t.word for t in terms if t.context] == ["chewing", "gum"]
    assert not any(t.context for t in terms if t.word in ("jaw", "pain"))
    # With nothing else typed, the words are the condition itself.
    assert not any(t.context for t in parse("after lumbar fusion").terms)


def test_parse_drops_how_long_it_has_lasted_unless_weeks_of_a_pregnancy() -> None:
    assert parse("low back pain for 3 days").required == ["low back", "pain"]
    # months or years of it: chronic, a qualifier that may go
    terms = parse("low back pain for 3 months").terms
    assert [t.word for t in terms] == ["low back", "pain", "chronic"]
    assert terms[-1].droppable
    assert "3" not in parse("neck pain x2 weeks").required
    assert "third" in parse("back pain 30 weeks pregnant").soft


@pytest.mark.parametrize(
    "query", ["s/p lumbar fusion", "after lumbar fusion", "status post lumbar fusion"]
)
def test_parse_reads_a_status_after_an_operation_as_post_op(query: str) -> None:
    assert parse(query).required[0] == "post op"


def test_parse_reads_lay_strain_and_sprain_words() -> None:
    assert ("strain",) in parse("pulled my hamstring").terms[0].phrases
    assert ("sprain",) in parse("twisted my wrist").terms[0].phrases
    assert parse("pulled something in my neck").injury


def test_parse_names_a_limb_typed_in_full_as_its_site() -> None:
    terms = parse("numbness upper extremity").terms
    assert terms[1].word == "arm" and terms[1].site


def test_words_fold_plurals_in_es_after_x_s_and_sh() -> None:
    assert words("boxes rashes abscesses headaches") == [
        "box",
        "rash",
        "abscess",
        "headache",
    ]


def test_parse_lets_a_typed_spine_region_go_after_the_condition() -> None:
    terms = parse("cervical disc herniation with radiculopathy").terms
    assert terms[0].word == "cervical" and terms[0].region and terms[0].droppable
    assert not parse("cervical").terms[0].droppable  # alone, it is the query


def test_parse_ends_a_cause_at_with_and_never_takes_a_spine_level() -> None:
    terms = parse("HNP at L5-S1 with radiculopathy").terms
    assert not any(t.context for t in terms)  # "at" a level is no cause
    terms = parse("knee pain from kneeling with swelling").terms
    assert [t.word for t in terms if t.context] == ["kneeling"]


@pytest.mark.parametrize(
    ("query", "side", "encounter"),
    [
        ("knee OA L>R", BILATERAL, None),
        ("hand numbness rt=lt", BILATERAL, None),
        ("hip pain rite", RIGHT, None),
        ("bilaterl knee pain", BILATERAL, None),
        ("knee OA bilaterally", BILATERAL, None),
        ("unilateral knee OA", 0, None),
        ("wrist sprain seq", 0, SEQUELA),
        ("ankle sprain 2nd visit", 0, SUBSEQUENT),
        ("whiplash recheck", 0, SUBSEQUENT),
    ],
)
def test_parse_reads_worse_side_first_sounded_sides_and_seq(
    query: str, side: int, encounter: str | None
) -> None:
    assert (parse(query).side, parse(query).encounter) == (side, encounter)


def test_parse_reads_joint_initials_and_chart_connectors() -> None:
    assert parse("c/o neck pn").required == ["neck", "pain"]
    assert parse("GH OA R").required == ["shoulder", "oa"]
    assert parse("CMC OA R").required == ["carpometacarpal", "joint", "oa"]
    assert parse("t/s spondylosis").required == ["thoracic", "spondylosis"]


def test_parse_keeps_each_phrase_term_in_its_place() -> None:
    # "knee" and "pain" both read as phrases: the query's order, not the data's
    assert parse("knee pain").required == ["knee", "pain"]


def test_parse_lets_a_limb_typed_with_its_part_go_first() -> None:
    terms = {t.word: t for t in parse("pulled hamstring left leg").terms}
    assert terms["hamstring"].site and not terms["leg"].site
    assert terms["leg"].droppable


@pytest.mark.parametrize(
    ("query", "injury"),
    [
        ("stress fx R foot", False),
        ("degenerative labral tear hip", False),
        ("fx R foot", True),
        ("labral tear hip", True),
    ],
)
def test_parse_reads_a_stress_fracture_or_degenerative_tear_as_no_injury(
    query: str, injury: bool
) -> None:
    assert parse(query).injury is injury


def test_parse_reads_words_of_one_group_as_one_term() -> None:
    # "hurts" and "achy" both say pain: one term, not a second word to find
    assert parse("hurts all over, achy").required == ["hurt", "all over"]


def test_parse_never_reads_a_place_after_without_as_absent() -> None:
    negated = parse("spondylosis without myelopathy or radiculopathy lumbar").negated
    assert "radiculopathy" in negated and "lumbar" not in negated
