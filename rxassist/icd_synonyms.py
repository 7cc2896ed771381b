"""Curated clinical synonyms and abbreviations that the ICD-10-CM search also matches.

Each entry is (codes, phrases): the phrases physicians type for the codes. A code may
be a category; the search then offers its billable codes, the general one first. A
7th-character code may be given without its 7th character (the encounter the query
names, else the initial encounter, is offered). Codes missing from a loaded release
are skipped.
"""

SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("M54.50",), ("LBP", "low back pain", "lower back pain", "lumbalgia", "lumbago")),
    (("M54.2",), ("neck pain", "cervical pain", "cervical spine pain", "cervicalgia")),
    (("S13.4",), ("whiplash", "neck sprain", "cervical sprain")),
    (("M51.36",), ("DDD lumbar", "degenerative disc disease lumbar")),
    (("M26.60",), ("TMJ", "TMD", "TMJ dysfunction", "TMJ syndrome")),
    (("M75.0",), ("frozen shoulder",)),
    (("M77.1",), ("tennis elbow",)),
    (("M62.831",), ("charley horse", "calf cramp")),
    (("M54.3",), ("sciatica",)),
)
