"""Property-based fuzzing of the API's request bodies and query values (Hypothesis).

Whatever a client sends - any JSON, lone surrogates, wrong types, implausible dates,
hostile query strings - the answer is a response with a clear status, never a 500.
Bounded by ``FORESHOCK_FUZZ_EXAMPLES`` in CI.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from foreshock.api import create_app
from foreshock.pipeline import Context
from foreshock.store.db import connect

EXAMPLES = int(os.environ.get("FORESHOCK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
TOKEN = "fuzz-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12)
hostile = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\ud800", "Russia \udfff attacked", "0001-01-01", "9999-12-31",
                     "2022-02-24", "2022-02-30", "RUS-UKR", "RUS>UKR", "'; DROP TABLE x;--",
                     "<script>", "%00", "\x00", "\ufeff2022-01-01", "1" * 40]))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("fuzz") / "empty.duckdb"
    connect(str(db)).close()
    app = create_app(str(db), token=TOKEN, max_text=2_000, context=ctx)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _escaped(text: str) -> bytes:
    # a JSON body written by a client that escapes everything, lone surrogates included
    import json

    return json.dumps(text, ensure_ascii=True).encode()


@seed(14)
@FUZZ
@given(body=st.one_of(
    st.fixed_dictionaries({"text": hostile, "date": hostile}),
    st.fixed_dictionaries({"text": json_values, "date": json_values}),
    json_values))
def test_code_endpoint_answers_every_body_without_a_500(client: TestClient,
                                                        body: object) -> None:
    import json

    try:
        content = json.dumps(body, ensure_ascii=True).encode()
    except ValueError:  # NaN and infinity are not JSON: send them as a client would
        content = json.dumps(body, ensure_ascii=True, allow_nan=True).encode()
    response = client.post("/api/code", content=content,
                           headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code in (200, 413, 422), (content[:300], response.text)
    response.json()  # always JSON


@seed(15)
@FUZZ
@given(text=hostile, raw=st.binary(max_size=80))
def test_code_endpoint_answers_raw_bytes_without_a_500(client: TestClient, text: str,
                                                       raw: bytes) -> None:
    for content in (raw, b'{"text": ' + _escaped(text) + b', "date": "2022-02-24"}'):
        response = client.post("/api/code", content=content,
                               headers={**AUTH, "Content-Type": "application/json"})
        assert response.status_code in (200, 400, 413, 422), response.text


@seed(16)
@FUZZ
@given(path=st.sampled_from(["/api/events", "/api/series", "/api/alerts", "/api/network",
                             "/api/dyads", "/api/health"]),
       params=st.dictionaries(st.sampled_from(["since", "until", "dyad", "actor", "root",
                                               "quad", "modality", "limit", "offset",
                                               "order", "freq", "window_days"]),
                              hostile, max_size=4))
def test_queries_with_hostile_values_never_500(client: TestClient, path: str,
                                               params: dict[str, str]) -> None:
    # percent-encoded bytes, as a client sends them (lone surrogates as invalid UTF-8)
    query = "&".join(f"{key}={_quoted(value)}" for key, value in params.items())
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, response.text
    story = client.get(f"/api/stories/{_quoted(next(iter(params.values()), 'x'))}")
    assert story.status_code < 500


def _quoted(value: str) -> str:
    return quote(value.encode("utf-8", "surrogatepass"), safe="")
