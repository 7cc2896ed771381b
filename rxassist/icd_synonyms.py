"""Curated clinical synonyms and abbreviations that the ICD-10-CM search also matches.

Each entry is (codes, phrases): what physicians type for those codes, where the
tabular list's titles and inclusion terms use other words. Sources: the ICD-10-CM
Alphabetical Index entries for these terms and common clinical usage in
musculoskeletal, pain and lymphedema care. A code may be a subcategory (the search
then offers its billable codes, the general one first) or a code that needs a 7th
character (the encounter the query names is offered, else the initial encounter).
Codes missing from a loaded release are skipped; a unit test checks them all exist.
"""

SYNONYMS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    # Spine: pain
    (
        ("M54.50",),
        (
            "LBP",
            "low back pain",
            "lower back pain",
            "lumbar pain",
            "lumbar back pain",
            "lumbar spine pain",
            "lumbalgia",
            "lumbago",
            "lumbosacral pain",
            "sore lower back",
        ),
    ),
    (
        ("M54.2",),
        (
            "neck pain",
            "cervical pain",
            "cervical spine pain",
            "neckache",
            "sore neck",
            "posterior neck pain",
        ),
    ),
    (
        ("M54.6",),
        (
            "upper back pain",
            "mid back pain",
            "middle back pain",
            "thoracic back pain",
            "thoracic pain",
            "thoracic spine pain",
            "dorsal back pain",
            "thoracalgia",
            "pain between shoulder blades",
            "interscapular pain",
        ),
    ),
    (("M54.9",), ("back pain", "backache", "back ache", "dorsalgia")),
    (("M43.6",), ("stiff neck", "wry neck", "wryneck", "crick in neck")),
    (
        ("M54.12",),
        (
            "cervical radiculitis",
            "cervical radiculopathy",
            "pinched nerve neck",
            "cervical nerve root irritation",
        ),
    ),
    (
        ("M54.16",),
        (
            "lumbar radiculitis",
            "lumbar radiculopathy",
            "pinched nerve lower back",
            "pinched nerve in back",
        ),
    ),
    (("M54.3",), ("sciatica", "sciatic pain", "sciatic nerve pain")),
    (("M54.4",), ("sciatica with low back pain", "low back pain with sciatica")),
    (("M53.1",), ("cervicobrachial syndrome", "cervicobrachialgia")),
    (
        ("M53.3",),
        (
            "coccydynia",
            "coccygodynia",
            "tailbone pain",
            "coccyx pain",
            "SI joint pain",
            "SI joint dysfunction",
            "SIJ dysfunction",
            "SIJ pain",
            "sacroiliac joint pain",
            "sacroiliac joint dysfunction",
            "sacroiliac pain",
        ),
    ),
    # Spine: discs, arthritis, stenosis
    (
        ("M51.26",),
        (
            "herniated disc",
            "herniated lumbar disc",
            "lumbar disc herniation",
            "lumbar herniated disc",
            "HNP",
            "lumbar HNP",
            "bulging disc",
            "lumbar disc bulge",
            "disc bulge",
            "slipped disc",
            "disc protrusion",
            "prolapsed disc",
        ),
    ),
    (("M51.16",), ("herniated disc with sciatica", "lumbar disc with radiculopathy")),
    (
        ("M50.20",),
        (
            "cervical disc herniation",
            "herniated cervical disc",
            "cervical HNP",
            "cervical bulging disc",
            "neck disc bulge",
        ),
    ),
    (
        ("M50.30",),
        (
            "cervical DDD",
            "DDD cervical",
            "DDD neck",
            "cervical degenerative disc disease",
            "degenerative disc disease neck",
            "degenerative disc disease cervical",
        ),
    ),
    (
        ("M51.36",),
        (
            "DDD",
            "DDD lumbar",
            "lumbar DDD",
            "degenerative disc disease",
            "degenerative disc disease lumbar",
            "lumbar degenerative disc disease",
            "lumbar disc degeneration",
        ),
    ),
    (("M51.34",), ("thoracic DDD", "thoracic degenerative disc disease")),
    (
        ("M47.812",),
        (
            "cervical spondylosis",
            "cervical arthritis",
            "neck arthritis",
            "cervical osteoarthritis",
            "cervical DJD",
            "cervical facet arthropathy",
        ),
    ),
    (
        ("M47.816",),
        (
            "lumbar spondylosis",
            "lumbar arthritis",
            "lumbar osteoarthritis",
            "lumbar DJD",
            "low back arthritis",
            "lumbar facet arthropathy",
            "facet arthropathy",
        ),
    ),
    (("M47.814",), ("thoracic spondylosis", "thoracic arthritis")),
    (("M48.061",), ("lumbar stenosis", "lumbar spinal stenosis", "LSS")),
    (("M48.02",), ("cervical stenosis", "cervical spinal stenosis")),
    (("M40.209", "M40.204"), ("kyphosis", "hunchback", "dowager hump", "rounded back")),
    (("M41.9",), ("scoliosis", "curvature of spine")),
    # Muscles and soft tissue
    (
        ("M62.830",),
        (
            "back spasm",
            "lumbar spasm",
            "paraspinal spasm",
            "paraspinal muscle spasm",
            "spasm of back",
        ),
    ),
    (
        ("M62.838",),
        (
            "muscle spasm",
            "spasm",
            "neck spasm",
            "cervical muscle spasm",
            "trapezius spasm",
            "muscle guarding",
            "hypertonicity",
            "hypertonic muscle",
        ),
    ),
    (("M62.831",), ("charley horse", "calf cramp", "calf spasm")),
    (
        ("R25.2",),
        ("cramp", "muscle cramp", "leg cramp"),
    ),
    (
        ("M79.18",),
        (
            "myofascial pain",
            "myofascial pain syndrome",
            "MPS",
            "trigger point",
            "myofascial trigger points",
            "muscle knot",
        ),
    ),
    (
        ("M79.10",),
        (
            "muscle pain",
            "muscle ache",
            "muscle soreness",
            "sore muscles",
            "myalgia",
        ),
    ),
    (("M62.89",), ("muscle tightness", "tight muscles", "muscle tension")),
    (
        ("M79.12",),
        (
            "trapezius pain",
            "trap pain",
            "tight traps",
            "trapezius myalgia",
            "upper trapezius pain",
            "neck muscle pain",
            "myalgia neck",
        ),
    ),
    (("M79.7",), ("fibro", "fibromyalgia syndrome", "FMS", "fibrositis")),
    (("M62.81",), ("muscle weakness", "generalized muscle weakness")),
    (("M62.40",), ("muscle contracture", "contracture")),
    (("M60.9",), ("myositis", "muscle inflammation")),
    (("M79.2",), ("neuralgia", "nerve pain", "neuropathic pain", "neuritis")),
    (("G62.9",), ("peripheral neuropathy", "neuropathy", "polyneuropathy")),
    (("R29.3",), ("abnormal posture", "poor posture", "postural dysfunction")),
    (("R26.2",), ("difficulty walking", "trouble walking")),
    (("R26.9",), ("gait abnormality", "gait disturbance", "abnormal gait")),
    # Limbs and joints
    (("M25.50",), ("joint pain", "arthralgia", "polyarthralgia")),
    (("M25.60",), ("joint stiffness", "stiff joints", "limited range of motion")),
    (("M79.604", "M79.605", "M79.606"), ("leg pain", "lower extremity pain")),
    (("M79.601", "M79.602", "M79.603"), ("arm pain", "upper extremity pain")),
    (("M79.671", "M79.672", "M79.673"), ("foot pain", "heel pain")),
    (("M79.641", "M79.642", "M79.643"), ("hand pain",)),
    (("M25.57",), ("ankle pain",)),
    (("M25.55",), ("hip pain",)),
    (("M25.56",), ("knee pain",)),
    (("M25.51",), ("shoulder pain",)),
    (("M25.52",), ("elbow pain",)),
    (("M25.53",), ("wrist pain",)),
    (
        ("M75.0",),
        ("frozen shoulder", "adhesive capsulitis", "periarthritis of shoulder"),
    ),
    (
        ("M75.10",),
        (
            "rotator cuff tendinitis",
            "rotator cuff tendinopathy",
            "rotator cuff syndrome",
        ),
    ),
    (
        ("M75.4",),
        ("shoulder impingement", "impingement syndrome", "swimmer's shoulder"),
    ),
    (("M75.2",), ("biceps tendinitis",)),
    (("M75.5",), ("shoulder bursitis", "subacromial bursitis", "subdeltoid bursitis")),
    (("M77.1",), ("tennis elbow", "lateral epicondylalgia")),
    (("M77.0",), ("golfer's elbow",)),
    (("G56.0",), ("CTS", "carpal tunnel")),
    (
        ("M65.4",),
        (
            "de Quervain",
            "de Quervain's tenosynovitis",
            "de Quervain tendinitis",
            "de Quervain's syndrome",
        ),
    ),
    (
        ("M70.6",),
        ("hip bursitis", "greater trochanteric pain syndrome", "GTPS"),
    ),
    (
        ("M76.3",),
        ("IT band syndrome", "IT band", "iliotibial band tightness", "ITB"),
    ),
    (("G57.0",), ("piriformis syndrome", "piriformis")),
    (
        ("M22.2X",),
        (
            "patellofemoral pain syndrome",
            "PFPS",
            "runner's knee",
            "chondromalacia",
        ),
    ),
    (("M76.5",), ("jumper's knee", "patellar tendinopathy")),
    (("M76.6",), ("achilles tendinopathy",)),
    (("M76.8",), ("shin splints", "medial tibial stress syndrome")),
    (
        ("M17.9", "M17.10", "M17.11", "M17.12", "M17.0"),
        (
            "OA knee",
            "knee OA",
            "knee osteoarthritis",
            "knee arthritis",
            "DJD knee",
            "degenerative joint disease knee",
        ),
    ),
    (
        ("M16.9", "M16.10", "M16.11", "M16.12", "M16.0"),
        ("OA hip", "hip OA", "hip osteoarthritis", "hip arthritis", "DJD hip"),
    ),
    (
        ("M19.90",),
        ("OA", "DJD", "osteoarthritis", "degenerative joint disease", "arthritis"),
    ),
    (("M06.9",), ("RA", "rheumatoid arthritis")),
    (("M72.2",), ("plantar fasciitis", "plantar fasciopathy")),
    (("M77.3",), ("heel spur", "calcaneal spur")),
    (("M94.0",), ("costochondritis", "Tietze syndrome", "chest wall pain")),
    (
        ("M26.60",),
        (
            "TMJ",
            "TMD",
            "TMJ disorder",
            "TMJ dysfunction",
            "TMJ syndrome",
            "temporomandibular dysfunction",
            "jaw joint disorder",
        ),
    ),
    (("M26.62",), ("TMJ pain", "TMJ arthralgia", "jaw joint pain")),
    (("R68.84",), ("jaw pain",)),
    # Head
    (
        ("G44.209",),
        (
            "tension headache",
            "TTH",
            "tension type headache",
            "stress headache",
            "muscle tension headache",
        ),
    ),
    (
        ("G43.909",),
        ("migraine", "migraine headache"),
    ),
    (
        ("R51.9",),
        ("headache", "HA", "head pain", "cephalgia", "cephalalgia"),
    ),
    (("G44.86",), ("cervicogenic headache", "neck related headache")),
    (("G44.309",), ("post-traumatic headache", "posttraumatic headache")),
    (("M54.81",), ("occipital neuralgia", "occipital headache")),
    (("F07.81",), ("post-concussion syndrome", "postconcussive syndrome", "PCS")),
    # Nerves, pain syndromes
    (("G54.0",), ("TOS", "thoracic outlet syndrome", "thoracic outlet")),
    (
        ("G90.50",),
        (
            "CRPS",
            "complex regional pain syndrome",
            "RSD",
            "reflex sympathetic dystrophy",
        ),
    ),
    (("G89.29",), ("chronic pain", "persistent pain")),
    (("G89.4",), ("chronic pain syndrome",)),
    (
        ("G89.18",),
        (
            "post-op pain",
            "postoperative pain",
            "post-surgical pain",
            "postsurgical pain",
            "pain after surgery",
        ),
    ),
    (("G89.28",), ("chronic postoperative pain", "chronic post-surgical pain")),
    (
        ("R52",),
        (
            "generalized pain",
            "pain all over",
            "body aches",
            "body pain",
            "diffuse pain",
            "widespread pain",
        ),
    ),
    (("B02.29",), ("PHN", "postherpetic neuralgia", "post-herpetic neuralgia")),
    (("G58.0",), ("intercostal neuralgia",)),
    (("G57.1",), ("meralgia paresthetica",)),
    # Lymphedema and swelling
    (
        ("I89.0",),
        (
            "lymphedema",
            "lymphatic edema",
            "lymphatic swelling",
            "secondary lymphedema",
            "lower extremity lymphedema",
            "lymphedema lower extremity",
            "leg lymphedema",
            "upper extremity lymphedema",
            "lymphedema upper extremity",
            "arm lymphedema",
        ),
    ),
    (
        ("I97.2",),
        (
            "postmastectomy lymphedema",
            "post mastectomy lymphedema",
            "lymphedema after mastectomy",
            "breast cancer related lymphedema",
            "BCRL",
        ),
    ),
    (
        ("I97.89",),
        (
            "lymphedema after surgery",
            "postoperative lymphedema",
            "lymphedema after lymph node removal",
        ),
    ),
    (
        ("R60.0",),
        (
            "swelling",
            "swollen",
            "localized swelling",
            "leg swelling",
            "swollen legs",
            "ankle swelling",
            "swollen ankles",
            "leg edema",
        ),
    ),
    # Injuries (7th character: the encounter the query names, else initial)
    (("S13.4",), ("whiplash", "neck sprain", "cervical sprain", "sprained neck")),
    (
        ("S16.1",),
        ("neck strain", "cervical strain", "strained neck", "neck muscle strain"),
    ),
    (
        ("S39.012",),
        (
            "back strain",
            "low back strain",
            "lower back strain",
            "lumbar strain",
            "lumbar muscle strain",
            "lumbosacral strain",
            "pulled back muscle",
            "strained back",
        ),
    ),
    (("S33.5",), ("lumbar sprain", "low back sprain", "lumbosacral sprain")),
    (
        ("S29.012",),
        (
            "thoracic strain",
            "upper back strain",
            "mid back strain",
            "thoracic muscle strain",
        ),
    ),
    (("S23.3",), ("thoracic sprain", "upper back sprain")),
    (("S46.911", "S46.912", "S46.919"), ("shoulder strain", "strained shoulder")),
    (("S46.011", "S46.012", "S46.019"), ("rotator cuff strain",)),
    (("S43.401", "S43.402", "S43.409"), ("shoulder sprain", "sprained shoulder")),
    (
        ("S76.311", "S76.312", "S76.319"),
        ("hamstring strain", "pulled hamstring", "hamstring pull", "hamstring"),
    ),
    (("S76.111", "S76.112", "S76.119"), ("quadriceps strain", "quad strain")),
    (("S76.011", "S76.012", "S76.019"), ("hip flexor strain", "hip strain")),
    (
        ("S76.211", "S76.212", "S76.219"),
        ("groin strain", "adductor strain", "groin pull"),
    ),
    (
        ("S86.111", "S86.112", "S86.119"),
        ("calf strain", "pulled calf", "calf muscle strain", "gastrocnemius strain"),
    ),
    (("S86.011", "S86.012", "S86.019"), ("achilles strain",)),
    (
        ("S93.401", "S93.402", "S93.409"),
        ("ankle sprain", "sprained ankle", "rolled ankle", "twisted ankle"),
    ),
    (("S63.501", "S63.502", "S63.509"), ("wrist sprain", "sprained wrist")),
    (("S83.91", "S83.92", "S83.90"), ("knee sprain", "sprained knee")),
    (
        ("S83.511", "S83.512", "S83.519"),
        ("ACL sprain", "ACL tear", "ACL injury", "anterior cruciate ligament tear"),
    ),
    (("S83.411", "S83.412", "S83.419"), ("MCL sprain", "MCL tear", "MCL injury")),
    (("S83.521", "S83.522", "S83.529"), ("PCL sprain", "PCL tear")),
    (("S53.401", "S53.402", "S53.409"), ("elbow sprain", "sprained elbow")),
    (("S33.6",), ("SI joint sprain", "sacroiliac sprain")),
    (("S30.0",), ("back contusion", "bruised back", "tailbone bruise")),
    # After surgery
    (
        ("Z96.651", "Z96.652", "Z96.653"),
        ("TKA", "TKR", "knee replacement", "total knee"),
    ),
    (("Z96.641", "Z96.642", "Z96.643"), ("THA", "THR", "hip replacement", "total hip")),
    (("Z47.1",), ("aftercare joint replacement", "post op joint replacement")),
    (("L90.5",), ("scar", "scar tissue", "surgical scar", "adhesions of skin")),
    # Pregnancy: the Alphabetical Index sends conditions "in pregnancy" here
    (
        ("O26.899", "O26.891", "O26.892", "O26.893", "O99.89"),
        (
            "back pain in pregnancy",
            "pregnancy related back pain",
            "pelvic girdle pain in pregnancy",
            "pregnancy related pain",
        ),
    ),
)

# Phrases that mean the same, matched either way in a query: a query saying one
# finds the texts that say any ("tmj pain" and "temporomandibular joint pain").
EQUIVALENTS: tuple[tuple[str, ...], ...] = (
    ("tmj", "temporomandibular joint"),
    ("oa", "osteoarthritis"),
    ("ac joint", "acromioclavicular joint"),
    ("si joint", "sacroiliac joint"),
    ("crps", "complex regional pain syndrome"),
    ("leg", "lower limb", "lower extremity"),
    ("arm", "upper limb", "upper extremity"),
    ("fx", "fracture"),
    ("tendinitis", "tendonitis"),  # both spellings are in use
    ("disc", "disk"),
    ("fall", "fell", "fallen"),
)
