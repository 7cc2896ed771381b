"""The search API under random and hostile input: 200 or 400, never 500."""

from __future__ import annotations

from urllib.parse import quote

from flask.testing import FlaskClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

HOSTILE = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(
        [
            "", " ", "\x00", "\x1b[31m", "'; DROP TABLE users; --", "%", "_", "\\",
            ".*", "(a+)+$", "[", "M54.", "..", "🦴💆", "ǅ", "x" * 10_000, "\u202e",
        ]
    ),
)  # fmt: skip


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=HOSTILE, limit=st.one_of(st.integers(-5, 80), st.text(max_size=4)))
@example(query="x" * 10_000, limit=10)
def test_search_api_answers_200_or_400(
    client: FlaskClient, query: str, limit: object
) -> None:
    # Its latency on such input is a figure of bench/search_latency.py.
    response = client.get(
        f"/api/v1/icd10/search?q={quote(query)}&limit={quote(str(limit))}"
    )
    assert response.status_code in (200, 400)
    body = response.get_json()
    if response.status_code == 400:
        assert body["fields"]
    else:
        assert body["count"] == len(body["results"])
