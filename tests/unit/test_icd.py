"""ICD-10-CM index: code normalisation, billable checks and search."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rxassist import icd_safety
from rxassist.icd import IcdIndex, IndexNotBuiltError, default_index, normalize_code
from rxassist.icd_synonyms import SYNONYMS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("M54.2", "M54.2"),
        ("m542", "M54.2"),
        ("M54", "M54"),
        (" s134xxa ", "S13.4XXA"),
        ("S13.4XXA", "S13.4XXA"),
        ("m54.50", "M54.50"),
        ("M 54 . 2", "M54.2"),
        ("M54.", "M54"),
        ("M50.-", "M50"),
        ("c4a.0", "C4A.0"),
        ("", ""),
        ("   ", ""),
        ("54.2", ""),
        ("M5", ""),
        ("MM54", ""),
        ("M5.42", ""),
        ("M54..2", ""),
        ("M54.12345", ""),
        ("M54.2; DROP TABLE", ""),
        ("x" * 10_000, ""),
    ],
)
def test_normalize_code_table(typed: str, expected: str) -> None:
    assert normalize_code(typed) == expected


def test_index_has_every_fy2026_billable_code(icd: IcdIndex) -> None:
    assert icd.billable_count() == 74_719


def test_index_names_its_release(icd: IcdIndex) -> None:
    assert (icd.version, icd.label) == ("FY2026", "ICD-10-CM FY2026")
    assert icd.release == "April 1, 2026 update"
    assert (icd.effective_from, icd.effective_to) == (
        date(2026, 4, 1),
        date(2026, 9, 30),
    )
    assert icd.covers(date(2026, 9, 30))
    assert not icd.covers(date(2026, 11, 23))
    assert not icd.covers(date(2026, 3, 31))


@pytest.mark.parametrize(
    ("code", "title"),
    [
        ("M54.2", "Cervicalgia"),
        ("M62.838", "Other muscle spasm"),
        ("M79.7", "Fibromyalgia"),
        ("S13.4XXA", "Sprain of ligaments of cervical spine, initial encounter"),
        ("S12.000A", None),
        ("M54.50", "Low back pain, unspecified"),
    ],
)
def test_check_accepts_billable_codes(
    icd: IcdIndex, code: str, title: str | None
) -> None:
    check = icd.check(code)
    assert check.ok and check.message is None and check.entry is not None
    assert check.entry.code == code and check.entry.billable
    if title:
        assert check.entry.title == title


def test_check_explains_a_category_and_lists_its_billable_codes(icd: IcdIndex) -> None:
    check = icd.check("m54.5")
    assert not check.ok
    assert check.message == (
        "M54.5 is a category, not a billable code; "
        "choose one of M54.50, M54.51, M54.59."
    )
    assert [s.code for s in check.suggestions] == ["M54.50", "M54.51", "M54.59"]
    assert check.entry is not None and not check.entry.billable


def test_check_asks_for_the_seventh_character(icd: IcdIndex) -> None:
    check = icd.check("S13.4")
    assert not check.ok
    assert check.message == (
        "S13.4 needs a 7th character for the encounter: S13.4XXA (initial), "
        "S13.4XXD (subsequent), S13.4XXS (sequela)."
    )
    assert [s.code for s in check.suggestions] == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]
    assert check.suggestions[1].title == (
        "Sprain of ligaments of cervical spine, subsequent encounter"
    )
    assert check.entry is not None and check.entry.needs_seventh


def test_seventh_character_pads_with_x_to_six_characters(icd: IcdIndex) -> None:
    assert icd.get("S12.000A") is not None
    assert icd.get("S12000XA") is None
    entry = icd.get("s134xxd")
    assert entry is not None and entry.parent == "S13.4" and entry.category == "S13"


def test_s06_death_codes_have_no_subsequent_encounter(icd: IcdIndex) -> None:
    assert icd.check("S06.1X7A").ok
    assert not icd.check("S06.1X7D").ok
    assert icd.check("S06.1X1D").ok


def test_check_rejects_a_code_that_does_not_exist(icd: IcdIndex) -> None:
    check = icd.check("Z99.999")
    assert (check.code, check.ok, check.entry) == ("Z99.999", False, None)
    assert check.message == "Z99.999 is not an ICD-10-CM code."


def test_check_suggests_the_padded_code_for_a_missing_placeholder(
    icd: IcdIndex,
) -> None:
    check = icd.check("S134A")
    assert not check.ok and [s.code for s in check.suggestions] == ["S13.4XXA"]


@pytest.mark.parametrize("junk", ["", "hello", "12", "M54.2'--", "\x00"])
def test_check_rejects_junk_with_a_message(icd: IcdIndex, junk: str) -> None:
    check = icd.check(junk)
    assert not check.ok and check.message and check.code == ""


def test_entry_carries_notes_and_chapter(icd: IcdIndex) -> None:
    entry = icd.get("S13.4XXA")
    assert entry is not None
    assert entry.chapter == "19"
    assert "Whiplash injury of cervical spine" in entry.inclusion_terms
    assert any("S16.1" in note for note in entry.excludes2)
    assert icd.get("M54.50") is not None
    m5450 = icd.get("M54.50")
    assert m5450 is not None and any("S39.012" in n for n in m5450.excludes1)


def test_load_names_the_fix_when_the_index_is_missing(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(IndexNotBuiltError, match="run `make`"):
        IcdIndex.load(tmp_path / "missing.json.gz")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("M54.2", "M54.2"),
        ("m542", "M54.2"),
        ("s134xxa", "S13.4XXA"),
        ("s134", "S13.4XXA"),
        ("M54.5", "M54.50"),
        ("whiplash", "S13.4XXA"),
        ("low back pain", "M54.50"),
        ("LBP", "M54.50"),
        ("cerv pain", "M54.2"),
        ("lumb radic", "M54.16"),
        ("fibromyalga", "M79.7"),
        ("plantar facitis", "M72.2"),
        ("frozen shoulder left", "M75.02"),
        ("tennis elbow", "M77.10"),
        ("right shoulder pain", "M25.511"),
        ("pain shoulder right", "M25.511"),
        ("neck sprain subsequent", "S13.4XXD"),
        ("lumbago", "M54.50"),
        ("myalgia", "M79.10"),
    ],
)
def test_search_puts_the_meant_code_first(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_search_says_what_matched(icd: IcdIndex) -> None:
    hit = icd.search("whiplash")[0]
    assert hit.matched and "whiplash" in hit.matched.lower()
    assert hit.billable


def test_search_returns_billable_codes_unless_asked_for_all(icd: IcdIndex) -> None:
    assert all(r.billable for r in icd.search("back pain", limit=50))
    every = icd.search("low back pain", billable_only=False)
    assert any(r.code == "M54.5" and not r.billable for r in every[:3])


def test_search_respects_the_limit(icd: IcdIndex) -> None:
    assert len(icd.search("pain", limit=7)) == 7
    assert icd.search("pain", limit=0) == []


hostile = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        [
            "",
            " ",
            "x" * 10_000,
            "pain " * 2_000,
            "\x00\x01\x1b[31m\u202e",
            ".*+?[](){}|^$\\",
            "' OR 1=1; --",
            "%_%",
            "🤕💆‍♀️ neck 🔥",
            "a b c d e f g h i j k l m n o p",
            "ab" * 20,
            "m" * 7,
            "M54.-",
        ]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=hostile)
def test_search_never_raises_on_hostile_input(icd: IcdIndex, query: str) -> None:
    # How fast it stays is measured by bench/search_latency.py, not asserted here.
    results = icd.search(query)
    assert len(results) <= 20
    assert icd.check(query) is not None


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("migraine without aura", "G43.009"),
        ("migraine with aura", "G43.109"),
        ("spondylosis lumbar", "M47.816"),
        ("M54.2 Cervicalgia", "M54.2"),
        ("lateral epicondi", "M77.10"),
        ("sprained left ankle initial encounter", "S93.402A"),
        ("fracture of right clavicle subsequent nonunion", "S42.001K"),
        ("lymphedema lower extremity bilateral", "I89.0"),
        ("tight traps", "M79.12"),
    ],
)
def test_search_handles_negation_pastes_and_half_typed_words(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_search_keeps_right_and_left_when_no_bilateral_code_exists(
    icd: IcdIndex,
) -> None:
    codes = [r.code for r in icd.search("bilateral knee pain", limit=5)]
    assert {"M25.561", "M25.562"} <= set(codes)
    assert icd.search("carpal tunnel both")[0].code == "G56.03"


def test_search_names_the_side_it_was_asked_for(icd: IcdIndex) -> None:
    codes = [r.code for r in icd.search("left shoulder pain", limit=10)]
    assert codes[0] == "M25.512"
    assert "M25.511" not in codes


def test_search_offers_the_other_encounters_after_the_matches(icd: IcdIndex) -> None:
    codes = [r.code for r in icd.search("whiplash")]
    assert codes[:3] == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]


def test_search_all_codes_marks_the_codes_needing_a_seventh_character(
    icd: IcdIndex,
) -> None:
    results = icd.search("S13.4", billable_only=False)
    assert results[0].code == "S13.4" and not results[0].billable
    assert [r.code for r in results[1:4]] == ["S13.4XXA", "S13.4XXD", "S13.4XXS"]


def test_search_reports_excludes_notes(icd: IcdIndex) -> None:
    hit = icd.search("low back pain")[0]
    assert any("S39.012" in note for note in hit.excludes)


def test_default_index_is_loaded_once_across_threads() -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = list(pool.map(lambda _: default_index(), range(8)))
    assert all(index is loaded[0] for index in loaded)


def test_search_is_safe_from_several_threads(icd: IcdIndex) -> None:
    queries = ["cerv pain", "lumb radic", "whiplash", "fibromyalga", "m54"] * 20
    expected = {q: [r.code for r in icd.search(q)] for q in set(queries)}
    icd.clear_cache()
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda q: (q, [r.code for r in icd.search(q)]), queries))
    assert all(codes == expected[q] for q, codes in got)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # one-letter sides
        ("knee pain L", "M25.562"),
        ("knee pain R", "M25.561"),
        ("oa hand r", "M19.041"),
        ("shoulder pain l", "M25.512"),
        # encounter words
        ("strain lower back sub", "S39.012D"),
        ("hamstring strain follow up", "S76.319D"),
        ("neck sprain f/u", "S13.4XXD"),
        ("neck sprain subsequent visit", "S13.4XXD"),
        ("ankle sprain late effect", "S93.409S"),
        # acceptable codes first for ordinary queries
        ("sprain left AC joint initial", "S43.52XA"),
        ("CRPS left leg", "G90.522"),
        ("cervical sprain motor vehicle accident initial", "S13.4XXA"),
        ("whiplash motor vehicle accident", "S13.4XXA"),
        ("post op scar", "L90.5"),
    ],
)
def test_search_reads_the_words_physicians_type(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "families"),
    [
        ("sciatica right leg", ("M54.31", "M54.41")),
        ("sciatica left leg", ("M54.32", "M54.42")),
        ("herniated disc L4-L5", ("M51.2", "M51.1")),
        ("disc herniation C5-C6", ("M50.2", "M50.1")),
        ("temporomandibular joint pain", ("M26.62",)),
        ("back pain in pregnancy", ("O26.89", "O99.89")),
        ("distal radius fracture right subsequent routine healing", ("S52.5",)),
    ],
)
def test_search_extra_words_keep_the_chapter_meant(
    icd: IcdIndex, query: str, families: tuple[str, ...]
) -> None:
    assert icd.search(query)[0].code.startswith(families)


def test_search_follow_up_never_finds_following(icd: IcdIndex) -> None:
    results = icd.search("hamstring strain follow up", limit=20)
    assert all(r.code.endswith("D") for r in results)
    assert not any("following" in r.description.lower() for r in results)
    assert not any(r.code.startswith("I69") for r in results)


def test_search_keeps_the_side_of_a_fracture_with_an_encounter(icd: IcdIndex) -> None:
    results = icd.search("distal radius fracture right subsequent routine healing")
    assert "right radius" in results[0].description
    assert results[0].code.endswith("D")
    assert not any(" left " in r.description for r in results)


def test_search_a_vehicle_beside_an_injury_finds_no_poisoning(icd: IcdIndex) -> None:
    codes = [
        r.code
        for r in icd.search("cervical sprain motor vehicle accident initial", limit=10)
    ]
    assert codes[0] == "S13.4XXA"
    assert not any(code.startswith(("T", "V")) for code in codes)


def test_search_hand_is_not_dropped_from_oa_hand(icd: IcdIndex) -> None:
    results = icd.search("oa hand r", limit=5)
    assert all("hand" in r.description for r in results[:3])


@pytest.mark.parametrize(
    ("removed", "code"),
    [
        # Misspellings once stored as synonyms: the fuzzy matching finds them.
        ("plantar fascitis", "M72.2"),
        ("lymphoedema", "I89.0"),
        # Variant spellings, now equivalents for every phrase that uses them.
        ("herniated disk", "M51.26"),
        ("rotator cuff tendonitis", "M75.100"),
        ("biceps tendonitis", "M75.20"),
        ("bicipital tendonitis", "M75.20"),
        ("patellar tendonitis", "M76.50"),
        ("achilles tendonitis", "M76.60"),
        # Phrases that folded to another phrase of their group.
        ("golfers elbow", "M77.00"),
        ("migraines", "G43.909"),
        ("heel spurs", "M77.30"),
        ("postop pain", "G89.18"),
        ("post operative pain", "G89.18"),
    ],
)
def test_search_still_finds_the_synonyms_removed_from_the_data(
    icd: IcdIndex, removed: str, code: str
) -> None:
    assert removed.lower() not in {p.lower() for _, group in SYNONYMS for p in group}
    assert icd.search(removed)[0].code == code


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # shorthand, kept as data
        ("carpal tunnel b/l", "G56.03"),
        ("rt knee pn", "M25.561"),
        ("t-spine pain", "M54.6"),
        ("crps RLE", "G90.521"),
        ("ankle sprain rigth sub", "S93.401D"),
        # spine levels pick the leaf; "L5-S1" is the lumbosacral region
        ("c6-7 disc herniation w/ radic", "M50.123"),
        ("ddd c4-5", "M50.321"),
        ("disc bulge L5-S1", "M51.27"),
        # a body site goes before the condition typed, its limb still counts
        ("numbness L foot", "R20.0"),
        ("tingling R hand", "R20.2"),
        ("rsd right hand", "G90.511"),
        ("bruised R shin first visit", "S80.11XA"),
        ("pulled hamstring left leg", "S76.312A"),
        # lay words for pain, for a bruise, for a scar
        ("knee hurts rt", "M25.561"),
        ("shoulder aches L", "M25.512"),
        ("jaw hurts when chewing", "R68.84"),
        ("scarring after surgery", "L90.5"),
        # type II, "not intractable", soft words that cover a text
        ("crps type 2 left leg", "G57.72"),
        ("migraine w/o aura, intractable", "G43.019"),
        ("oa knees b/l", "M17.0"),
        ("tth episodic", "G44.219"),
        # a pregnancy: chapter 15, the trimester from the words or the weeks
        ("back pain pregnant 2nd tri", "O26.892"),
        ("round ligament pain 33 weeks", "O26.893"),
        ("swollen ankles pregnancy", "O12.00"),
        # an age picks the age group of idiopathic scoliosis
        ("lumbar scoliosis age 12", "M41.126"),
        # a vertebra's level names its ordinal ("T4": fourth thoracic vertebra)
        ("T4 compression fx", "S22.040A"),
        ("L1 compression fracture", "S32.010A"),
        # a misspelt word of a rule's phrase is spelled right before it is read
        ("disc herniaton L5-S1", "M51.27"),
        ("pregnent low back pain", "O26.899"),
        ("tempromandibular joint pain", "M26.629"),
        # a half-typed word is not a misspelling ("adhes" is no "ache")
        ("adhes caps left", "M75.02"),
        # more shorthand
        ("AC sprain L initial", "S43.52XA"),
        ("RC tear R", "M75.101"),
        ("concussion w/o LOC", "S06.0X0A"),
    ],
)
def test_search_reads_shorthand_sites_and_lay_words(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_search_ranks_pregnancy_codes_last_unless_a_pregnancy_is_named(
    icd: IcdIndex,
) -> None:
    chapters = [r.code.startswith("O") for r in icd.search("swollen knee")]
    assert chapters == sorted(chapters) and not chapters[0]
    assert icd.search("swollen feet pregnancy")[0].code.startswith("O12.0")


def test_search_shin_splints_never_finds_a_splinter(icd: IcdIndex) -> None:
    results = icd.search("shin splints right leg", limit=10)
    assert results[0].code == "S86.891A"
    assert not any("foreign body" in r.description.lower() for r in results)


def test_search_a_dropped_site_never_finds_another_site(icd: IcdIndex) -> None:
    results = icd.search("total knee replacement R", limit=5)
    assert results[0].code == "Z96.651"
    assert icd.search("bruised R shin first visit")[0].code == "S80.11XA"  # lower leg


@pytest.mark.parametrize(
    ("query", "family", "encounter"),
    [
        ("broken wrist R healing", "S62.", "D"),
        ("fractured ankle f/u", "S82.", "D"),
        ("threw out my back", "S39.012", "A"),
    ],
)
def test_search_reads_lay_injury_words_as_injuries(
    icd: IcdIndex, query: str, family: str, encounter: str
) -> None:
    first = icd.search(query)[0].code
    assert first.startswith(family) and first.endswith(encounter)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("wrist pain after typing", "M25.53"),  # a cause beside a symptom
        ("knee pain from kneeling", "M25.56"),
        ("chest wall pain after a fall", "R07.89"),  # no injury named: no S code
        ("numb hands", "R20.0"),  # "both ... and" in a title is no side
        ("twisted my wrist", "S63.50"),
        ("pulled something in my back", "S39.012"),
        ("hereditary lymphedema legs", "Q82.0"),
        ("TMJ OA left", "M26.642"),
        ("tmj internal derangement right", "M26.631"),
        ("water on the left knee", "M25.462"),
        ("scar after shoulder surgery", "L90.5"),
        ("s/p cervical fusion", "Z98.1"),
        ("whiplsh", "S13.4XXA"),  # a misspelt injury word read as the injury
    ],
)
def test_search_reads_context_statuses_and_lay_families(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code.startswith(first)


def test_search_plural_paired_site_offers_both_sides_first(icd: IcdIndex) -> None:
    codes = [r.code for r in icd.search("bunions on feet", limit=3)]
    assert sorted(codes[:2]) == ["M21.611", "M21.612"]
    assert icd.search("sore knees")[0].code in ("M25.561", "M25.562")
    # A code of no side is not pushed below a bilateral congenital one.
    assert icd.search("numb toes")[0].code == "R20.0"
    assert icd.search("swollen feet")[0].code == "R60.0"  # no pregnancy named


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("radial tunnel syndrome", "G56.30"),  # entrapments by nerve
        ("peroneal nerve entrapment left", "G57.32"),
        ("status post total shoulder arthroplasty", "Z96.61"),  # = replacement
        ("s/p rotator cuff repair", "Z47.89"),  # a status after an operation
        ("aftercare knee replacement right", "Z47.1"),
        ("low back pain postpartum", "O90.89"),
        ("knee pain at rest", "M25.56"),  # "rest" qualifies, no rest pain of I70
        ("shoulder pain at work lifting boxes", "M25.51"),  # "boxes" is no "bone"
        ("jaw locking", "M26.63"),  # never a trigger finger
    ],
)
def test_search_reads_entrapments_statuses_and_qualifiers(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code.startswith(first)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("lumbar disc herniation with radiculopathy", "M51.1"),  # not M51.2
        ("muscle pain other site", "M79.18"),  # muscle pain = myalgia
        ("CRPS of the trunk", "G90.59"),  # no limb: other specified site
        ("neck pain radiating down left arm", "M54.12"),
    ],
)
def test_search_reads_regions_and_sites_beside_a_condition(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code.startswith(first)


@pytest.mark.parametrize(
    ("query", "first", "plain"),
    [
        ("neck pain in pregnancy", "O26.89", "neck pain"),  # a site's pain
        ("knee pain pregnant", "O26.89", "knee pain"),
        ("swelling hands pregnancy", "O12.0", "swelling hands"),
        ("coccyx pain after delivery", "O90.89", "coccyx pain"),  # a delivery
    ],
)
def test_search_sends_pain_in_pregnancy_to_chapter_15(
    icd: IcdIndex, query: str, first: str, plain: str
) -> None:
    assert icd.search(query)[0].code.startswith(first)
    assert not icd.search(plain)[0].code.startswith("O")  # no pregnancy named


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("crps after wrist fracture left", "G90.512"),  # a cause: no fracture
        ("knee pain after fall", "M25.56"),  # no injury named beside the cause
        ("elbow pain from tennis R", "M25.521"),
        ("lymphedema following mastectomy", "I97.2"),  # the cause is the point
    ],
)
def test_search_a_cause_beside_a_condition_names_no_injury(
    icd: IcdIndex, query: str, first: str
) -> None:
    results = icd.search(query, limit=10)
    assert results[0].code.startswith(first)
    assert icd_safety.violations(query, results) == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("turf toe left", "S93.522A"),  # never an external cause first
        ("jammed thumb right", "S63.601A"),  # jammed = sprained
        ("boxers fracture", "S62.33"),
        ("forward head posture", "R29.3"),
        ("trismus", "R25.2"),
        ("labral tear hip left", "S73.192A"),
        ("pes anserine bursitis left", "M70.52"),
    ],
)
def test_search_reads_sports_and_posture_lay_names(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code.startswith(first)


def test_search_two_sites_find_their_own_codes_not_a_limb(icd: IcdIndex) -> None:
    codes = [r.code for r in icd.search("hip and knee pain right", limit=2)]
    assert codes == ["M25.551", "M25.561"]  # never "Pain in limb": right arm


def test_search_pain_in_pregnancy_texts_stay_low_when_none_is_named(
    icd: IcdIndex,
) -> None:
    codes = [r.code for r in icd.search("upper back and neck pain", limit=3)]
    assert not any(code.startswith("O") for code in codes)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("my knee keeps locking", "M23.8X"),  # never a trigger finger
        ("my hip pops", "M24.85"),
        ("pain in the ball of my foot", "M77.4"),
        ("arch pain", "M79.67"),
        ("my arm fell asleep", "R20.2"),  # no sleep disorder, no fall
        ("fingers tingle", "R20.2"),
        ("ice pick headache", "G44.85"),
    ],
)
def test_search_reads_what_patients_say(icd: IcdIndex, query: str, first: str) -> None:
    assert icd.search(query)[0].code.startswith(first)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("meniscal tear L knee sub", "S83.207D"),  # the most general leaf first
        ("SI jt dysfxn L", "M53.3"),
        ("AC arthritis L", "M19.012"),
        ("s/p ORIF R ankle", "Z47.89"),
        ("LBP w/ radic to L leg", "M54.42"),
    ],
)
def test_search_reads_chart_shorthand(icd: IcdIndex, query: str, first: str) -> None:
    assert icd.search(query)[0].code.startswith(first)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("knee OA R>L", "M17.0"),  # both sides: the bilateral code
        ("CMC OA R", "M18.11"),
        ("DIP pn L", "M25.542"),
        ("PIP OA R", "M19.041"),
        ("ATFL sprain L ankle sub", "S93.492D"),
        ("SIJ sprain seq", "S33.6XXS"),
        ("decr ROM L knee", "M25.662"),
        ("limited ROM R hip", "M25.651"),
        ("thoracic canal stenosis", "M48.04"),
        ("lumbosacral DJD", "M47.817"),
        ("abdominal wall strain init", "S39.011A"),
        ("masseter pain", "M79.11"),
        ("postlaminectomy pain", "M96.1"),
    ],
)
def test_search_reads_joint_initials_ranges_of_motion_and_sites(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("lumbar HNP w/o radiculopathy", "M51.26"),  # never "with radiculopathy"
        ("LS radic", "M54.17"),
        ("LS strain init", "S39.012A"),
        ("fx L 5th metacarpal init", "S62.307A"),
        ("neck pn rad to L arm", "M54.12"),  # "rad to": radiating
        ("LBP rad down R leg", "M54.41"),
        ("radic LUE", "M54.12"),  # an arm's radiculopathy: the neck
        ("T7 compression fx init", "S22.060A"),  # titled "T7-T8", no region
        ("T12 compression fx sub", "S22.080D"),
    ],
)
def test_search_reads_what_was_ruled_out_regions_ordinals_and_radiating(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_search_never_offers_first_what_the_query_rules_out(icd: IcdIndex) -> None:
    for query in ("headache without aura", "HA w/o aura"):
        assert "with aura" not in icd.search(query)[0].description


def test_search_answer_never_depends_on_the_query_before(icd: IcdIndex) -> None:
    # The region read from "T12" and from "T7" are the same word, other phrases.
    icd.search("T12 compression fx sub")
    assert icd.search("T7 compression fx init")[0].code == "S22.060A"
    assert icd.search("T12 compression fx sub")[0].code == "S22.080D"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sx of TOS R", "G54.0"),  # "symptoms of": the condition
        ("dx CTS L", "G56.02"),
        ("pain L heel in AM", "M79.672"),  # a time of day names no code
        ("buttock pain R", "M79.18"),
        ("dorsalgia, lumbar", "M54.50"),  # a region's dorsalgia: its own code
        ("dorsalgia, cervical", "M54.2"),
    ],
)
def test_search_reads_chart_words_around_a_condition(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("lumbar DDD with radiculopathy", "M51.16"),  # Index: see Disorder, disc
        ("cervical DDD w/ myelopathy", "M50.00"),
        ("left hemiparesis after stroke", "I69.352"),  # stroke = cerebral infarction
        ("heat stroke", "T67.01XA"),  # never a cerebral infarction
    ],
)
def test_search_reads_combined_conditions_and_stroke(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("AC separation L", "S43.102A"),  # Index: see Dislocation, acromioclavicular
        ("AC joint separation R init", "S43.101A"),
        ("shoulder separation L sub", "S43.102D"),
    ],
)
def test_search_reads_a_separated_shoulder_as_its_dislocation(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("levator scap strain R init", "S16.1XXA"),  # a neck muscle
        ("levator scapulae pain", "M79.12"),
        ("QL strain R init", "S39.012A"),  # a lower back muscle
        ("SCM tumor infant", "Q68.0"),
        ("TrP upper trap", "M79.18"),
    ],
)
def test_search_reads_muscles_by_name_as_their_region(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("DJD L ankle", "M19.072"),  # DJD = osteoarthritis of any joint
        ("DJD R shoulder", "M19.011"),
        ("cervical DJD", "M47.812"),  # of the spine: spondylosis
    ],
)
def test_search_reads_djd_as_osteoarthritis(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("gout R big toe", "M10.071"),  # titled "right ankle and foot"
        ("gout L thumb", "M10.042"),  # titled "left hand"
    ],
)
def test_search_reads_a_toe_or_finger_as_its_foot_or_hand(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("breast cancer L", "C50.912"),  # cancer = malignant neoplasm
        ("h/o breast ca", "Z85.3"),  # a personal history, never a family one
        ("s/p L THA f/u", "Z96.642"),  # never a thalassemia
        ("s/p TSA L", "Z96.612"),
    ],
)
def test_search_reads_cancer_history_and_arthroplasty_initials(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first
    assert not any(r.code.startswith("D56") for r in icd.search(query, limit=10))


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("R tib fib fx", "S82.91XA"),  # never a stress fracture first
        ("L 5th MT fx", "S92.352A"),  # MT: metatarsal, not metacarpal
        ("1st MTP sprain R", "S93.521A"),
        ("pec strain init", "S29.011A"),  # front wall of thorax
    ],
)
def test_search_reads_bone_and_muscle_initials(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("shin pain R", "M79.661"),  # never "pain after shingles"
        ("shin bruise L init", "S80.12XA"),
        # a paired part in the plural: right and left before the unspecified
        ("sore calves after running", "M79.661"),
    ],
)
def test_search_reads_the_shin_and_calves_as_the_lower_leg(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("s/p R RCR", "Z47.89"),  # rotator cuff repair: aftercare
        ("s/p ACDF C5-6", "Z98.1"),  # a fusion: arthrodesis status
    ],
)
def test_search_reads_operations_by_their_initials(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("left shoulder", "M25.512"),  # not Z96.612, an artificial shoulder joint
        ("l shoulder", "M25.512"),
        ("left sh", "M25.512"),
        ("lt hip", "M16.12"),  # a condition, not Z96.642
    ],
)
def test_a_bare_site_and_side_ranks_a_condition_before_a_status_code(
    icd: IcdIndex, query: str, first: str
) -> None:
    codes = [r.code for r in icd.search(query)]
    assert codes[0] == first
    assert all(c.startswith(("M", "S")) for c in codes[:2])


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("s/p left TSA", "Z96.612"),  # a status word typed: the Z code first
        ("presence of artificial left shoulder", "Z96.612"),
        ("left knee replacement", "Z96.652"),
        ("aftercare joint replacement", "Z47.1"),
    ],
)
def test_a_status_word_keeps_the_status_code_first(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("sore achilles", "M76.60"),  # Achilles tendinitis, not pain unspecified
        ("gamer's thumb R", "M65.4"),  # de Quervain's
        ("burning outer thigh L", "G57.12"),  # meralgia paresthetica
        ("pinched nerve between toes R", "G57.61"),  # Morton's neuroma
        ("hit my funny bone", "G56.20"),  # the ulnar nerve
        ("curved spine", "M41.9"),
        ("clicking jaw", "M26.639"),
        ("swollen olecranon bursa L", "M70.22"),
        ("student's elbow", "M70.20"),
        ("rt shld pain", "M25.511"),  # chart shorthand for the shoulder
        ("thx pain", "M54.6"),
    ],
)
def test_search_reads_lay_words_for_tendons_nerves_and_joints(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "family"),
    [
        ("wear and tear arthritis knee", "M17."),  # osteoarthritis
        ("worn out disc neck", "M50.3"),  # cervical disc degeneration
    ],
)
def test_search_reads_wear_and_tear_as_degeneration(
    icd: IcdIndex, query: str, family: str
) -> None:
    assert icd.search(query)[0].code.startswith(family)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("numb fingers", "R20.0"),  # not the ulnar nerve's lesion
        ("tingling left hand at night", "R20.2"),
        ("left thigh numbness", "R20.0"),  # no outer thigh: not meralgia
        ("burning toes", "R20.8"),  # not Morton's neuroma
        ("burning thigh", "R20.8"),
    ],
)
def test_lay_nerve_words_leave_a_plain_symptom_to_its_code(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("tight neck", "M62.838"),  # a muscle in spasm, never a newborn's cord
        ("lower back tightness", "M62.830"),
        ("knots in my calf", "M79.18"),  # a knot in a muscle: a trigger point
        ("neck knots", "M79.18"),
    ],
)
def test_search_reads_tight_and_knots_as_the_muscle_s_codes(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("upper arm ache", "M79.629"),  # not "pain in arm" (M79.603)
        ("left upper arm pain", "M79.622"),
        ("left lower leg pain", "M79.662"),  # not "pain in left leg" (M79.605)
        ("upper leg pain R", "M79.651"),  # the thigh
        ("lower arm pain L", "M79.632"),  # the forearm
    ],
)
def test_search_reads_a_limb_s_part_before_the_limb(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("arthritis in finger joints R", "M19.041"),  # the hand's, not the jaw's
        ("arthritis of the toe joints L", "M19.072"),
        ("knuckle arthritis", "M19.049"),
    ],
)
def test_search_reads_a_digit_s_joints_as_the_digit(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("shoulder clicking R", "M24.811"),  # a joint derangement, never the jaw's
        ("ankle popping L", "M24.872"),
        ("wrist grinding", "M24.839"),
        ("knee clicking L", "M23.8X2"),
        ("clicking jaw", "M26.639"),  # the jaw keeps its own code
        ("teeth grinding", "F45.8"),
        ("swollen toe R", "R22.41"),  # the lower limb's swelling, as "L toe swelling"
    ],
)
def test_search_reads_a_clicking_or_grinding_joint_as_its_derangement(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("tightness in chest", "R07.89"),  # Index: Tightness, chest; never the back
        ("jaw tightness", "M79.11"),  # the jaw's muscles
        ("hamstring tightness L", "M62.89"),
    ],
)
def test_tightness_goes_to_the_site_named(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("trick knee", "M23.50"),  # not torticollis, read from "crick"
        ("swayback", "M40.50"),  # lordosis
        ("bone spur heel R", "M77.31"),
        ("dropped foot R", "M21.371"),  # not a fall (W04)
    ],
)
def test_search_reads_more_lay_names_of_joints_and_feet(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_a_knee_that_gives_way_offers_both_instability_codes(icd: IcdIndex) -> None:
    codes = [r.code for r in icd.search("knee keeps giving way R")][:4]
    assert "M23.51" in codes and "M25.361" in codes


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("L finger swelling", "R22.32"),  # the upper limb's, never the abdomen's
        ("L toe swelling", "R22.42"),  # the lower limb's
    ],
)
def test_a_digit_s_symptom_reaches_its_limb_s_code(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("collarbone pain R", "M25.511"),  # the clavicle: the shoulder's
        ("sore hamstrings", "M79.659"),  # a muscle of the thigh: the thigh's pain
        ("quad pain L", "M79.652"),
        ("back of thigh pain", "M79.659"),  # the thigh's, never the back's
        ("behind the knee pain R", "M25.561"),
        ("glute pain", "M79.18"),  # the buttock (Index: Pain, buttock)
        ("sit bone pain", "M79.18"),
        ("palm pain L", "M79.642"),  # the hand's
        ("sore lats", "M54.6"),  # the upper back's
        ("sore pecs", "R07.89"),  # the chest wall's
        ("left groin pain", "R10.32"),  # Index: Pain, groin: the lower abdomen's
        ("groin strain R", "S76.211A"),  # an injury keeps its code
        ("temple pain", "R51.9"),
    ],
)
def test_search_reads_lay_names_of_body_parts_as_their_site(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_a_part_of_a_finger_ranks_the_finger_before_the_arm(icd: IcdIndex) -> None:
    assert icd.search("pinky pain")[0].code == "M79.646"  # not M79.603, the arm


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("tight shoulders", "M62.89"),  # muscle tightness, never the back's spasm
        ("tight hips", "M62.89"),
        ("pulled hamstring left leg", "S76.312A"),  # the leg adds nothing
        ("hurt back lifting boxes", "S39.012A"),  # hurt lifting: a strain
        ("hurt my shoulder lifting R", "S46.911A"),
        ("tweaked my neck moving furniture", "S16.1XXA"),
        ("my back gave out", "M54.9"),
        ("knee locks up R", "M23.8X1"),
        ("knee gave out L", "M23.52"),
    ],
)
def test_search_reads_lay_symptoms_and_how_an_injury_happened(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize("query", ["knees hurt", "hurt my knee", "back hurts"])
def test_hurt_without_lifting_stays_a_pain(icd: IcdIndex, query: str) -> None:
    assert icd.search(query)[0].code.startswith("M")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("turf toe L", "S93.522A"),  # the great toe's MTP joint
        ("bone spurs in my neck", "M47.812"),  # Index: Spur, spine: spondylosis
        ("bone spurs lower back", "M47.816"),
        ("bowlegged", "M21.169"),
        ("growing pains", "R29.898"),
        ("big toe stiff and sore L", "M20.22"),  # hallux rigidus
        ("tech neck", "M54.2"),
        ("degenerative labral tear R shoulder", "M24.111"),  # no injury
        ("symphysis pubis separation pregnant", "O26.719"),
    ],
)
def test_search_reads_more_lay_names_and_index_entries(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("runner's knee pain R", "M22.2X1"),  # the condition, not any knee pain
        ("tennis elbow pain L", "M77.12"),
        ("frozen shoulder pain R", "M75.01"),
        ("fibro flare hurting everywhere", "M79.7"),  # not pain all over, R52
        ("aching muscles all over", "M79.10"),
        ("pain all over", "R52"),
        ("neck and shoulder pain", "M54.2"),  # places only: the pain stays
        ("thoracic spinal pain", "M54.6"),
    ],
)
def test_pain_beside_a_named_condition_goes_last(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("index finger locking R", "M65.321"),  # the finger named picks the leaf
        ("qls spasm", "M62.830"),  # the lower back's muscle
        ("ms spasm low bk", "M62.830"),
        ("lumbar radic L leg", "M54.16"),  # a radiculopathy, not sciatica
        ("radiating down leg", "M54.30"),
        ("s/p ACDF", "Z98.1"),
        ("aftercare RC repair R", "Z47.89"),
        ("aftercare total knee replacement", "Z47.1"),
        ("cracked rib", "S22.39XA"),
        ("pulled a chest muscle", "S29.011A"),
        ("pulled muscle between ribs", "S29.019A"),
        ("tweaked my lower back", "S39.012A"),
        ("myalgia of chewing muscles", "M79.11"),
        ("tfl strain R", "S76.011A"),
    ],
)
def test_search_reads_muscles_fingers_and_chart_shorthand(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("stress fx R foot metatarsal", "M84.374A"),  # no injury: no S92 first
        ("stress fracture L tibia", "M84.362A"),
        ("knot under my shoulder blade", "M79.18"),  # never underweight (R63.6)
        ("shoulder blade pain", "M54.6"),
        ("elbow swollen like a golf ball", "M70.20"),  # a lump, not golfer's elbow
        ("painful knee replacement L", "T84.84XA"),
    ],
)
def test_search_reads_what_is_no_injury_and_lay_similes(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_a_cause_that_is_an_injury_brings_the_post_traumatic_code(
    icd: IcdIndex,
) -> None:
    codes = [r.code for r in icd.search("headache after whiplash")][:3]
    assert "G44.309" in codes


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("my neck is killing me", "M54.2"),
        ("can't turn my head", "M43.6"),  # Index: Stiff neck: torticollis
        ("shoulder popped out R", "S43.004A"),  # a dislocation, not a clicking jaw
        ("ankle gave out L", "M25.372"),  # Index: Instability, joint
        ("hip flexor pain R", "M25.551"),  # the hip's, not a strain
        ("tight hip flexors", "M62.89"),
        ("hip flexor strain L", "S76.012A"),
        ("bad knee", "M25.569"),
        ("SCM pain", "M79.12"),  # the neck's muscle
        ("TFL tightness", "M62.89"),
        ("DQV", "M65.4"),
        ("GT bursitis L", "M70.62"),
    ],
)
def test_search_reads_more_lay_and_chart_words_for_muscles_and_joints(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_a_stubbed_toe_is_its_contusion(icd: IcdIndex) -> None:
    assert icd.search("stubbed toe")[0].code.startswith("S90.1")  # Index: Contusion


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("low back pain R", "M54.50"),  # never "Lumbago with sciatica, right side"
        ("LBP L", "M54.50"),
        ("left sided low back pain", "M54.50"),
        ("lbp w/ sciatica R", "M54.41"),  # the combination typed keeps its code
        ("R sided neck pain", "M54.2"),  # "sided" names nothing (not the arm)
        ("left sided headache", "R51.9"),  # never a left-sided colitis
    ],
)
def test_a_side_never_brings_first_a_combination_not_typed(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("feet burn at night", "R20.8"),  # a burning feeling, not a burn (T25)
        ("back locked up", "M62.830"),  # never a locked knee
        ("neck locked up", "M43.6"),
        ("tension in neck and shoulders", "M62.838"),  # muscle tension: tightness
        ("muscle tension", "M62.89"),
        ("tension headache", "G44.209"),
        ("pulled stomach muscle", "S39.011A"),
        ("abdominal strain", "S39.011A"),
        ("chest wall strain", "S29.019A"),
        ("chest wall contusion R", "S20.211A"),
        ("chest wall sore to touch", "R07.89"),  # tender: the site's pain
        ("tender knee", "M25.569"),
        ("pain in pelvis", "R10.20"),
        ("arm goes numb", "R20.0"),
    ],
)
def test_search_reads_everyday_verbs_and_trunk_muscles(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("torn hamstring L", "S76.312A"),  # Index: Tear, muscle - see Strain
        ("calf tear R", "S86.111A"),
        ("knee ligament tear", "S83.90XA"),  # Index: Tear, ligament - see Sprain
        ("torn acl R", "S83.511A"),
        ("wear and tear arthritis hip", "M16.10"),  # read whole: no tear
        ("bruised heel R", "S90.31XA"),  # the heel is the foot's
        ("hip pointer L", "S70.02XA"),
        ("limping", "R26.89"),
        ("balance problems", "R26.81"),
        ("pain for years", "G89.29"),  # months or years of it: chronic
        ("flare up of back pain", "M54.9"),
        ("lower back stiffness", "M62.830"),
    ],
)
def test_search_reads_tears_bruises_gait_and_how_long(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize("query", ["neck pian", "shoulder pian R", "tailbone pian"])
def test_pain_typed_with_two_letters_swapped_is_never_yaws(
    icd: IcdIndex, query: str
) -> None:
    assert not icd.search(query)[0].code.startswith("A66")  # "pian": yaws


def test_a_trimester_typed_names_the_pregnancy(icd: IcdIndex) -> None:
    assert icd.search("third trimester back pain")[0].code == "O26.893"


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("LLE radiculopathy", "M54.16"),  # a leg's radiculopathy: the lumbar region
        ("sciatica", "M54.30"),  # stays sciatica
        ("SIJD", "M53.3"),
        ("ACJ sprain R", "S43.51XA"),
        ("GHJ pain L", "M25.512"),
        ("WAD", "S13.4XXA"),
        ("DQ tenosynovitis", "M65.4"),
        ("trigger fngr", "M65.30"),
        ("ulnar neuritis R", "G56.21"),
        ("MTP pain L", "M25.572"),  # Index: Pain, joint, foot
        ("MT stress fx R", "M84.374A"),  # the metatarsal is the foot's
    ],
)
def test_search_reads_more_chart_shorthand_for_joints_and_nerves(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("rheumatoid arthritis L hand", "M06.842"),  # never the juvenile's first
        ("juvenile arthritis", "M08.80"),  # an age typed keeps its codes
        ("scoliosis teen", "M41.129"),  # adolescent idiopathic scoliosis
        ("left side weakness after stroke", "I69.352"),  # Index: Hemiplegia
        ("spasticity", "M62.838"),
        ("chemo neuropathy", "G62.0"),  # Index: Polyneuropathy, drug-induced
        ("pelvic floor dysfunction", "M62.89"),
        ("toe walking", "R26.89"),
    ],
)
def test_search_reads_rehab_conditions_and_age_groups(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("knee replacement pain, prosthesis", "T84.84XA"),  # Index: Complication
        ("prosthetic knee pain", "T84.84XA"),
        ("s/p knee prosthesis R", "Z96.651"),  # a status, no pain
        ("hurts all over tired achy", "R52"),  # not fatigue alone
    ],
)
def test_search_reads_a_prosthesis_and_repeated_words_of_one_group(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("stiffness in neck when waking up", "M43.6"),  # a stiff neck
        ("cracked a rib", "S22.39XA"),  # broken
        ("knee cracking R", "M23.8X1"),  # a joint's crepitus, never a fracture
        ("sore arches", "M79.673"),  # "arches" is "arch", not fallen arches
        ("high arches", "M21.6X9"),  # Index: Cavus foot (acquired)
        ("ankle keeps rolling L", "M25.372"),
        ("puffy ankles", "R60.0"),  # swelling, never "Duffy"
        ("headaches", "R51.9"),  # "aches" keeps its e
    ],
)
def test_search_reads_more_lay_words_for_joints_feet_and_swelling(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dancer hip pain R", "M25.551"),  # never "cancer pain"
        ("ciatic nerve pain", "M54.30"),  # a first letter dropped is still a typo
        ("sholder pain L", "M25.512"),
    ],
)
def test_a_misspelling_keeps_its_first_letter(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("spinal arthritis", "M47.9"),  # Index: Arthritis, spine - see Spondylosis
        ("arthritis of lumbar spine", "M47.816"),  # a region typed picks its code
        ("bone on bone knee R", "M17.11"),
        ("computer neck", "M54.2"),
        ("oa b/l hands", "M19.041"),  # "bone" names no osteoarthritis
    ],
)
def test_search_reads_lay_names_of_spine_and_knee_arthritis(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("shoulder discomfort L", "M25.512"),  # never visual discomfort (H53.14-)
        ("knee soreness R", "M25.561"),
        ("forehead pain", "R51.9"),  # the head's
        ("pain in back of head", "R51.9"),  # never the back's
        ("face pain", "R51.9"),  # Index: Pain, face, facial
    ],
)
def test_search_reads_discomfort_soreness_and_the_head_s_places(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_eye_strain_is_asthenopia_not_a_muscle_strain(icd: IcdIndex) -> None:
    assert icd.search("eye strain")[0].code.startswith("H53.14")


# Round eight: the patient's words for feelings at a site, and how they came on.
@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("my feet went numb", "R20.0"),  # "went": how it came on, not what
        ("woke up with numb fingers", "R20.0"),
        ("right knee still swollen", "M25.461"),  # "still": when, not what
        ("whole right leg aches", "M79.604"),  # never "whole arm ... duplicated"
        ("entire back hurts", "M54.9"),
        ("bruised left shin, new", "S80.12XA"),  # "new": no word to find
        ("strained right calf, new injury", "S86.111A"),  # a new injury: initial
        ("calves burn", "R20.8"),  # a burning feeling, no burn (T24)
        ("thighs ache", "M79.651"),  # a paired part in the plural: both sides
        ("can't lie on my right shoulder", "M25.511"),  # lying on it hurts
        ("neck sore turning over R shoulder", "M54.2"),  # the neck moves
        ("right knee won't bend all the way", "M25.661"),  # its stiffness
        ("calf spasming", "M62.831"),
        ("clenching teeth at night", "G47.63"),  # sleep bruxism
    ],
)
def test_search_reads_how_and_when_a_feeling_came_on(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("neck DDD C6-7", "M50.323"),  # the level picks the leaf
        # A history of an operation is its status (Index: Status, arthrodesis
        # Z98.1), never the spine's acquired fusion (M43.2-)
        ("history of cervical fusion", "Z98.1"),
        ("hx of L4-5 fusion", "Z98.1"),
        ("history of falls", "Z91.81"),  # no operation: the history itself
        ("my elbow clicks", "M24.829"),  # a joint that clicks: its derangement
        ("shoulder grinds L", "M24.812"),
        # A joint's bone is the joint; the back of a limb's part is that part
        ("elbow bone pain R", "M25.521"),  # never the pubic bone's R10.2
        ("back of left hand hurts", "M79.642"),  # never the back's M54.9
        ("backbone pain", "M54.50"),  # the spine
        ("breastbone sore", "R07.89"),  # Index: Pain, chest, anterior wall
        ("instep pain R", "M79.671"),  # the foot's
        # Bones by their lay names
        ("shinbone fracture left", "S82.202A"),  # the tibia's, never a carpal bone
        ("heel bone fracture right", "S92.001A"),  # the calcaneus's
        # A misspelling is the word that keeps most of its start
        ("cervicle radiculopathy", "M54.12"),  # cervical, never the clavicle
        ("cervicle pain", "M54.2"),
        # The back of a part is the part, never a text naming a back and a neck
        ("neck creaks", "M54.2"),  # never panniculitis of the neck and back
        ("back of the knee hurts R", "M25.561"),
        # Index: Tremor R25.1 (Shaking - see Tremor); Swollen glands R59.-
        ("my hands shake", "R25.1"),  # never a shaken infant (T74.4)
        ("swollen lymph nodes", "R59.9"),
        ("head throbs", "R51.9"),  # a throb is a pain
        # A radiculopathy by its level and no disc: the region's (M54.1-)
        ("C6-7 radiculopathy", "M54.12"),
        ("radiculopathy L3-4 right", "M54.16"),
        ("C6-7 HNP with radiculopathy", "M50.123"),  # a disc named: the disc's
        ("cx sprain subsequent", "S13.4XXD"),  # cx: cervical
        ("cesarean scar tender", "L90.5"),  # a cesarean's scar is a scar
        ("cesarean incision pain", "G89.18"),  # never peritoneal adhesions
        ("cesarean adhesions", "K66.0"),  # adhesions without a scar: peritoneal
        ("cut right index finger, new", "S61.210A"),  # Index: Cut - see Laceration
        ("broken right pinky toe", "S92.501A"),  # the lesser toe, never a finger
        ("can't sleep because of low back pain", "M54.50"),  # never cannabis (F12)
        ("headache behind my left eye", "R51.9"),  # where a headache is felt
        ("pain behind left eye", "H57.12"),  # the eye's, never the kneecap's
        ("room spinning when I roll over", "R42"),
        ("tingling down my left arm", "R20.2"),  # never Down syndrome (Q90)
    ],
)
def test_search_reads_levels_histories_bones_and_chart_words(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # Index: Swelling, joint - see Effusion, joint (M25.4-)
        ("swollen left elbow", "M25.422"),
        ("left hip swollen", "M25.452"),
        ("right shoulder swollen", "M25.411"),
        ("puffy knuckles", "M25.449"),
        ("L finger swelling", "R22.32"),  # a finger is no joint: the limb's
        # Index: Weakness, muscle M62.81: a limb or a grip that is weak
        ("weak right arm", "M62.81"),
        ("arms feel weak", "M62.81"),
        ("poor grip left hand", "M62.81"),
        ("neck got stuck", "M43.6"),  # a neck that is stuck: torticollis
        ("frzn R shoulder", "M75.01"),  # vowels dropped, as "shldr"
        # Index: Radiculitis - see Radiculopathy
        ("thoracic radicular pain", "M54.14"),
        ("radiculitis C6", "M54.12"),
        # The middle of the back is the thoracic spine's
        ("midback pain", "M54.6"),
        ("middle back sprain", "S23.3XXA"),
        # Index: Tendinitis - see Enthesopathy: the ankle's and foot's M77.5-
        ("ankle tendonitis", "M77.50"),
        ("foot tendinitis right", "M77.51"),
        ("calcific tendinitis ankle", "M65.279"),  # named: kept
    ],
)
def test_search_reads_joint_swelling_weakness_and_the_mid_back(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pain from butt down to left knee", "M54.32"),
        ("pain from lower back down into right leg", "M54.41"),
        ("sciatic pain from hip to foot right", "M54.31"),
    ],
)
def test_pain_that_travels_from_the_buttock_or_back_to_the_leg_is_sciatica(
    icd: IcdIndex, query: str, first: str
) -> None:
    assert icd.search(query)[0].code == first


def test_kneecap_pain_offers_the_knee_s_and_the_patellofemoral_pain(
    icd: IcdIndex,
) -> None:
    codes = [r.code for r in icd.search("sore right kneecap")][:4]
    assert "M25.561" in codes and "M22.2X1" in codes


@pytest.mark.parametrize(
    ("query", "first", "left_out"),
    [
        # A side typed: no loosely matched code of that side is put first.
        ("R trap spasm", "M62.838", "G51.31"),  # never a hemifacial spasm
        ("pinched nerve in lower back left leg", "M54.16", "G57.62"),
        ("tingling down my right arm", "R20.2", "M79.601"),
    ],
)
def test_a_side_typed_never_puts_first_a_loosely_matched_code_of_that_side(
    icd: IcdIndex, query: str, first: str, left_out: str
) -> None:
    results = icd.search(query, limit=10)
    assert results[0].code == first
    assert left_out not in [r.code for r in results]
    assert icd_safety.violations(query, results) == []


# Round nine: each case a family member that is in no development or tuned set.
@pytest.mark.parametrize(
    ("query", "first"),
    [
        # A condition a symptom is due to is the point, as when typed first
        ("hip pain due to osteoarthritis", "M16.10"),  # round eight's loose end
        ("knee pain from arthritis", "M17.10"),
        ("wrist pain from carpal tunnel", "G56.00"),
        ("heel pain due to plantar fasciitis", "M72.2"),
        ("leg numbness from diabetes", "E11.40"),
        ("knee pain after a fall", "M25.569"),  # a cause stays a cause
        # Every day or never going away: chronic
        ("pain that won't go away", "G89.29"),
        ("chronic post concussion headache", "G44.329"),  # chronic picks the leaf
        # Two facts in free order: the region typed last
        ("radiculopathy left leg lumbar", "M54.16"),  # had found nothing
        # Which face of a part: where, not an injury's "front wall of thorax"
        ("front chest wall tender", "R07.89"),
        ("knots upper back", "M79.18"),
        # A pain from a cancer is the cancer's pain; fatigue from it is not
        ("hip hurts from the cancer", "G89.3"),
        ("back pain with mets", "G89.3"),
        # A side typed with a combination the titles name: never an empty answer
        ("left sciatica and back pain", "M54.42"),
        # The belly in the patient's words; a limb that feels heavy
        ("tummy ache", "R10.9"),
        ("lower belly pain", "R10.30"),
        ("belly button pain", "R10.33"),
        ("legs feel heavy", "R29.898"),  # never heavy menstruation N92.0
        ("falls a lot, repeated falls", "R29.6"),
        ("fall risk", "Z91.81"),
        # Index: Complication, postprocedural, circulatory I97.89: lymphedema after
        # an operation other than a mastectomy (round eight's loose end)
        ("lymphedema after knee surgery", "I97.89"),
        # How an injury happened: hurt bending, twisting, reaching is a strain
        ("hurt my neck twisting", "S16.1XXA"),
        ("hurt shoulder reaching overhead", "S46.919A"),
        # A finger or thumb that gets stuck locks (trigger finger M65.3-)
        ("thumb stuck", "M65.319"),
        # "nondominant" typed as one word is the titles' "non-dominant"
        ("hemiplegia after stroke right nondominant", "I69.353"),
        # A neurology chart's initials
        ("ms fatigue", "G35.D"),
        ("ALS", "G12.21"),  # never aspiration J69
        ("TBI", "S06.9X0A"),
        # Numb, tingling or burning from chemo or diabetes: its neuropathy; the
        # feelings alone stay the feelings' codes
        ("feet numb and tingling since chemotherapy", "G62.0"),
        ("burning feet with diabetes", "E11.40"),
        ("diabetic burning feet", "E11.40"),
        ("numb and tingling feet", "R20.2"),
        # A bump is a lump; bumped is a bruise; the top of a part is where
        ("bump on back of neck", "R22.1"),
        ("bump on top of foot", "R22.40"),
        ("bumped knee", "S80.00XA"),
        ("pain at base of my neck left", "M54.2"),  # never the femur's neck S72.04-
    ],
)
def test_search_reads_a_condition_due_to_and_chronic_words(
    icd: IcdIndex, query: str, first: str
) -> None:
    results = icd.search(query, limit=10)
    assert results[0].code == first
    assert icd_safety.violations(query, results) == []


@pytest.mark.parametrize(
    ("query", "first"),
    [
        # Index: Osteoporosis M81.0; with current pathological fracture M80.0-
        ("thinning bones", "M81.0"),
        ("porous bones", "M81.0"),
        ("dowager's hump", "M81.0"),  # Index: Hump, dowager's
        ("compression fracture from osteoporosis", "M80.08XA"),
        ("osteoporotic hip fracture left", "M80.052A"),  # the hip's is the femur's
        # Neurology, oncology, rheumatology in the patient's and the chart's words
        ("parkinsons tremor", "G20.A1"),
        ("polymyalgia", "M35.3"),
        ("history of radiation therapy", "Z92.3"),
        ("radiation dermatitis", "L58.9"),
        ("medication overuse headache", "G44.40"),
        ("numb toes after chemo", "G62.0"),
        ("heberden nodes", "M15.1"),
        ("wrist lump left", "M67.432"),  # Index: Ganglion, wrist
        ("restless legs at night", "G25.81"),
        ("age related muscle loss", "M62.84"),
        ("wobbly walking", "R26.81"),
        ("stiff man syndrome", "G25.82"),
        ("feeling worn out", "R53.83"),
        ("worn out knee joint", "M17.10"),  # a joint worn out is its osteoarthritis
        ("arthritic knee left", "M17.12"),  # never "arthritic erythema" A25.1
        # The eye typed is the part searched, never pruned among all the pains
        ("eye pain", "H57.10"),
        ("sore right eye", "H57.11"),
        ("dry eye", "H04.129"),
        # A toe's or a heel's condition finds the titles' "ankle and foot"
        ("gout in big toe left", "M10.072"),
        ("heel gout", "M10.079"),
    ],
)
def test_search_reads_older_patients_chronic_conditions(
    icd: IcdIndex, query: str, first: str
) -> None:
    results = icd.search(query, limit=10)
    assert results[0].code == first
    assert icd_safety.violations(query, results) == []
