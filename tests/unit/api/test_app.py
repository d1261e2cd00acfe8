"""The web API against a real DuckDB file that the real pipeline built from demo articles."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import duckdb
import pytest
from click.testing import CliRunner

with warnings.catch_warnings():
    # starlette's TestClient warns that it will move from httpx to httpx2 one day
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

from foreshock.alerts.config import load_config
from foreshock.alerts.run import Alert, EvidenceItem, data_basis, refresh_alerts, write_alerts
from foreshock.api import create_app
from foreshock.api.queries import trigger_in_sentence
from foreshock.coding import EventCoder
from foreshock.database import open_database
from foreshock.ontology.tsv import data_path
from foreshock.pipeline import Context
from foreshock.store.db import connect

# RUS-UKR articles from November to February, a reprinted wire story (demo-020..022) and a
# Geneva pair (051/052), with negated, hypothetical and future events among them
ARTICLES = ("demo-006", "demo-011", "demo-016", "demo-020", "demo-021", "demo-022",
            "demo-025", "demo-048", "demo-051", "demo-052", "demo-063", "demo-072")
TOKEN = "test-token-123"
MAX_PAGE = 20


def _build(folder: Path, ctx: Context, *, analysis: bool) -> Path:
    lines = (data_path("demo") / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    chosen = [line for line in lines if json.loads(line)["id"] in ARTICLES]
    assert len(chosen) == len(ARTICLES)
    source = folder / "few.jsonl"
    source.write_text("\n".join(chosen) + "\n", encoding="utf-8")
    db = folder / "api.duckdb"
    store = open_database(str(db), create=True, settings=ctx.settings)
    store.ingest([str(source)], command="test")
    store.code_pending(coder=EventCoder(ctx), command="test", analyze=analysis)
    con = connect(str(db))
    if analysis:
        config = load_config()
        assert not refresh_alerts(con, config).computed  # code_pending stored them
        # the few articles are too thin for a detector to fire: store one alert by hand,
        # with a real event as its evidence, so the alert routes have something to show
        row = con.execute(
            "SELECT e.event_id, e.date, e.source, e.target, e.code, e.goldstein, e.sentence, "
            "e.article_id, a.title, a.outlet FROM events e JOIN articles a USING (article_id) "
            "WHERE e.modality = 'asserted' AND e.quad_class = 4 AND "
            "least(e.source, e.target) = 'RUS' AND greatest(e.source, e.target) = 'UKR' "
            "ORDER BY e.date, e.event_id LIMIT 1").fetchall()[0]
        evidence = EvidenceItem(row[0], row[1], row[2], row[3], row[4], float(row[5]), 2.0,
                                row[6], row[7], row[8], row[9], 1, 1)
        alert = Alert("RUS-UKR", False, row[1], "robust_z", "conflict", 5.5, 4.0, 0.3, 0.05,
                      30, 12, 4, episode_start=row[1], evidence=(evidence,), stories=2,
                      explanation="escalation: robust_z 5.5 (threshold 4)")
        # stored with the data's basis, so readers take it as current
        write_alerts(con, "all", [alert], data_basis(con, config))
    con.close()
    return db


@pytest.fixture(scope="session")
def api_db(tmp_path_factory: pytest.TempPathFactory, ctx: Context) -> Path:
    return _build(tmp_path_factory.mktemp("api"), ctx, analysis=True)


@pytest.fixture(scope="session")
def client(api_db: Path, ctx: Context) -> Iterator[TestClient]:
    app = create_app(str(api_db), token=TOKEN, max_page=MAX_PAGE, max_text=500, context=ctx)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def closed(api_db: Path) -> TestClient:
    """The same database with coding disabled (no token)."""
    return TestClient(create_app(str(api_db)))


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


# --- health, events ----------------------------------------------------------------------


def test_health_reports_the_database(client: TestClient, api_db: Path) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok" and body["database"] == "api.duckdb"
    assert body["analysis"] is True and body["coding_enabled"] is True
    (articles, events), = rows(api_db, "SELECT (SELECT count(*) FROM articles), "
                                       "(SELECT count(*) FROM events)")
    assert body["counts"]["articles"] == articles == len(ARTICLES)
    assert body["counts"]["events"] == events
    assert body["counts"]["alerts"] == 1
    assert body["first_date"] <= body["last_date"]


def test_events_of_a_dyad_with_evidence_spans(client: TestClient, api_db: Path) -> None:
    body = client.get("/api/events", params={"dyad": "RUS-UKR", "limit": MAX_PAGE}).json()
    (expected,), = rows(api_db, "SELECT count(*) FROM events WHERE modality = 'asserted' AND "
                                "((source = 'RUS' AND target = 'UKR') OR "
                                "(source = 'UKR' AND target = 'RUS'))")
    assert body["total"] == expected > 0
    assert body["limit"] == MAX_PAGE and body["offset"] == 0
    texts = dict(rows(api_db, "SELECT article_id, text FROM articles"))
    for event in body["events"]:
        assert {event["source"], event["target"]} == {"RUS", "UKR"}
        assert event["modality"] == "asserted"
        assert event["code_name"] and event["title"] and event["url"].startswith("https://")
        # the span is right twice: in the article and in the evidence sentence
        trigger = texts[event["article_id"]][event["start_char"]:event["end_char"]]
        assert trigger == event["trigger"]
        assert event["sentence"][event["trigger_start"]:event["trigger_end"]] == trigger
        assert event["story_id"]


def test_events_paging_and_order(client: TestClient) -> None:
    everything = client.get("/api/events", params={"modality": "all", "limit": MAX_PAGE}).json()
    total = everything["total"]
    assert total > MAX_PAGE  # so paging matters
    ids: list[str] = []
    for offset in range(0, total, MAX_PAGE):
        page = client.get("/api/events", params={"modality": "all", "limit": MAX_PAGE,
                                                 "offset": offset}).json()
        assert page["total"] == total and page["offset"] == offset
        ids += [e["event_id"] for e in page["events"]]
    assert len(ids) == len(set(ids)) == total
    newest = client.get("/api/events", params={"modality": "all", "order": "desc"}).json()
    dates = [e["date"] for e in newest["events"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(("params", "check"), [
    ({"actor": "ukr"}, lambda e: "UKR" in (e["source"], e["target"])),
    ({"dyad": "RUS>UKR"}, lambda e: (e["source"], e["target"]) == ("RUS", "UKR")),
    ({"dyad": "RUS-UKR", "directed": "true"},
     lambda e: (e["source"], e["target"]) == ("RUS", "UKR")),
    ({"since": "2022-01-01", "until": "2022-01-31"},
     lambda e: "2022-01-01" <= e["date"] <= "2022-01-31"),
    ({"root": "1"}, lambda e: e["root"] == "01"),
    ({"quad": "4"}, lambda e: e["quad_class"] == 4),
    ({"modality": "negated"}, lambda e: e["modality"] == "negated"),
])
def test_event_filters(client: TestClient, params: dict[str, str], check: Any) -> None:
    body = client.get("/api/events", params={**params, "modality": params.get(
        "modality", "all"), "limit": MAX_PAGE}).json()
    assert body["events"], params
    assert all(check(e) for e in body["events"])


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"limit": str(MAX_PAGE + 1)}, "limit", f"less than or equal to {MAX_PAGE}"),
    ({"limit": "0"}, "limit", "greater than or equal to 1"),
    ({"offset": "-1"}, "offset", "greater than or equal to 0"),
    ({"dyad": "RUSSIA"}, "dyad", "expected two actor codes like RUS-UKR"),
    ({"dyad": "RUS-UKR-USA"}, "dyad", "expected two actor codes"),
    ({"actor": "R'; DROP TABLE events; --"}, "actor", "expected an actor code"),
    ({"root": "21"}, "root", "expected a CAMEO root from 01 to 20"),
    ({"quad": "5"}, "quad", "less than or equal to 4"),
    ({"modality": "maybe"}, "modality", "'asserted', 'negated'"),
    ({"since": "2022-13-01"}, "since", "E006 '2022-13-01' is not a date; expected YYYY-MM-DD"),
    ({"since": "2022-02-01", "until": "2022-01-01"}, "until", "is before since"),
    ({"order": "sideways"}, "order", "'asc' or 'desc'"),
])
def test_bad_event_queries_are_clear_422s(client: TestClient, params: dict[str, str],
                                          field: str, words: str) -> None:
    response = client.get("/api/events", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"][0]["loc"][-1] == field
    assert words in body["message"], body["message"]
    assert body["message"].startswith(f"{field}:")


# --- series, alerts, dyads, network, stories ---------------------------------------------


def test_series_is_the_library_series(client: TestClient) -> None:
    body = client.get("/api/series", params={"dyad": "UKR-RUS"}).json()
    assert body["dyad"] == "RUS-UKR" and body["freq"] == "week" and not body["directed"]
    periods = [dt.date.fromisoformat(r["period"]) for r in body["rows"]]
    assert periods and all(p.weekday() == 0 for p in periods)
    assert all((b - a).days == 7 for a, b in itertools.pairwise(periods))
    assert sum(r["story_events"] for r in body["rows"]) > 0
    for r in body["rows"]:
        assert r["q1"] + r["q2"] + r["q3"] + r["q4"] == r["story_events"]
    daily = client.get("/api/series", params={"dyad": "RUS>UKR", "freq": "day"}).json()
    assert daily["dyad"] == "RUS>UKR" and daily["directed"] and daily["freq"] == "day"
    since = client.get("/api/series", params={"dyad": "RUS-UKR", "since": "2022-01-01"}).json()
    assert since["rows"] and all(r["period"] >= "2022-01-01" for r in since["rows"])
    assert client.get("/api/series").status_code == 422  # the dyad is required
    assert client.get("/api/series", params={"dyad": "RUS-UKR", "freq": "year"}
                      ).status_code == 422


def test_alerts_with_evidence_and_filters(client: TestClient) -> None:
    body = client.get("/api/alerts").json()
    assert body["computed"] is True and len(body["alerts"]) == 1
    alert = body["alerts"][0]
    assert alert["dyad"] == "RUS-UKR" and alert["detector"] == "robust_z"
    assert (alert["kind"], alert["stories"]) == ("escalation", 2)  # explains itself
    assert alert["explanation"].startswith("escalation: robust_z 5.5")
    assert alert["evidence"][0]["sentence"] and alert["evidence"][0]["source"] in ("RUS", "UKR")
    assert client.get("/api/alerts", params={"dyad": "UKR-RUS"}).json()["alerts"]
    assert not client.get("/api/alerts", params={"dyad": "RUS-USA"}).json()["alerts"]
    after = (dt.date.fromisoformat(alert["date"]) + dt.timedelta(days=1)).isoformat()
    assert not client.get("/api/alerts", params={"since": after}).json()["alerts"]
    bare = client.get("/api/alerts", params={"evidence": 0}).json()["alerts"][0]
    assert bare["evidence"] == [] and bare["alert_id"] == alert["alert_id"]


def test_dyads_most_active_and_most_escalating(client: TestClient, api_db: Path) -> None:
    body = client.get("/api/dyads", params={"limit": 5, "window_days": 28}).json()
    active = body["most_active"]
    assert [a["events"] for a in active] == sorted((a["events"] for a in active), reverse=True)
    top = rows(api_db, "SELECT least(source, target) || '-' || greatest(source, target) d, "
                       "count(*) n FROM events WHERE modality = 'asserted' AND source <> target "
                       "GROUP BY d ORDER BY n DESC, d LIMIT 1")[0]
    assert (active[0]["dyad"], active[0]["events"]) == top
    assert next(a for a in active if a["dyad"] == "RUS-UKR")["alert_episodes"] == 1
    # the rule of the docstring, recomputed here from the events
    events = rows(api_db, "SELECT least(source, target) || '-' || greatest(source, target), "
                          "date, quad_class FROM events WHERE modality = 'asserted' AND "
                          "source IS NOT NULL AND target IS NOT NULL AND source <> target")
    last = max(e[1] for e in events)
    assert body["as_of"] == last.isoformat()
    recent_from = last - dt.timedelta(days=27)
    previous_from = recent_from - dt.timedelta(days=28)
    expected: dict[str, float] = {}
    for dyad in {e[0] for e in events}:
        recent = [e for e in events if e[0] == dyad and e[1] >= recent_from]
        previous = [e for e in events if e[0] == dyad and previous_from <= e[1] < recent_from]
        conflict = sum(e[2] >= 3 for e in recent)
        if len(recent) >= 3 and conflict:
            before = sum(e[2] >= 3 for e in previous) / len(previous) if previous else 0.0
            if conflict / len(recent) > before:
                expected[dyad] = conflict / len(recent) - before
    rising = body["most_escalating"]
    assert rising  # the few articles do escalate (Geneva, then the February build-up)
    assert {r["dyad"] for r in rising} <= set(expected)
    assert [r["change"] for r in rising] == sorted((r["change"] for r in rising), reverse=True)
    assert all(abs(r["change"] - expected[r["dyad"]]) < 1e-3 and r["change"] > 0
               for r in rising)
    assert len(rising) == min(5, len(expected))
    assert client.get("/api/dyads", params={"limit": 101}).status_code == 422


def test_network_of_a_period(client: TestClient) -> None:
    whole = client.get("/api/network").json()
    edges = whole["edges"]
    assert edges and [e["events"] for e in edges] == sorted((e["events"] for e in edges),
                                                            reverse=True)
    nodes = {n["id"]: n["events"] for n in whole["nodes"]}
    for actor, count in nodes.items():
        assert count == sum(e["events"] for e in edges if actor in (e["source"], e["target"]))
    january = client.get("/api/network", params={"since": "2022-01-01",
                                                 "until": "2022-01-31"}).json()
    assert sum(e["events"] for e in january["edges"]) < sum(e["events"] for e in edges)
    assert client.get("/api/network", params={"limit": 501}).status_code == 422


def test_story_with_articles_and_deduplicated_events(client: TestClient) -> None:
    body = client.get("/api/stories/demo-020").json()
    assert body["num_articles"] == 3 and body["num_sources"] == 3
    assert [a["article_id"] for a in body["articles"]] == ["demo-020", "demo-021", "demo-022"]
    keys = [(e["source"], e["target"], e["root"]) for e in body["events"]]
    assert len(keys) == len(set(keys))  # one event per source, target and root
    assert any(e["num_articles"] > 1 for e in body["events"])
    missing = client.get("/api/stories/no-such-story")
    assert missing.status_code == 404 and "no story" in missing.json()["detail"]


# --- coding posted text --------------------------------------------------------------------


def test_coding_needs_the_token(client: TestClient, closed: TestClient) -> None:
    text = {"text": "Russia attacked Ukraine.", "date": "2022-02-24"}
    disabled = closed.post("/api/code", json=text)
    assert disabled.status_code == 403 and "disabled" in disabled.json()["detail"]
    assert client.post("/api/code", json=text).status_code == 403
    wrong = client.post("/api/code", json=text, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403 and "token" in wrong.json()["detail"]


def test_coding_returns_events_with_spans(client: TestClient) -> None:
    text = ("Talks ended on Monday. Russia attacked Ukraine on Thursday. "
            "Moscow denied it had any plans to invade Ukraine.")
    response = client.post("/api/code", json={"text": text, "date": "2022-02-24"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["extractor"] and not body["problems"]
    attack = next(e for e in body["events"] if e["root"] == "19")
    assert (attack["source"], attack["target"], attack["modality"]) == ("RUS", "UKR",
                                                                         "asserted")
    for event in body["events"]:
        assert text[event["start_char"]:event["end_char"]] == event["trigger"]
        assert event["sentence"][event["trigger_start"]:event["trigger_end"]] == event["trigger"]


def test_coding_limits(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    long = client.post("/api/code", json={"text": "word " * 101, "date": "2022-02-24"},
                       headers=auth)
    assert long.status_code == 413 and "at most 500" in long.json()["detail"]
    huge = client.post("/api/code", content=b'{"text": "' + b"x" * 20_000 + b'"}',
                       headers={**auth, "Content-Type": "application/json"})
    assert huge.status_code == 413  # refused before the body is parsed
    empty = client.post("/api/code", json={"text": "", "date": "2022-02-24"}, headers=auth)
    assert empty.status_code == 422 and "text" in empty.json()["message"]
    undated = client.post("/api/code", json={"text": "Russia attacked Ukraine."},
                          headers=auth)
    assert undated.status_code == 422 and "date" in undated.json()["message"]


# --- safety, docs and the page --------------------------------------------------------------


def test_requests_never_write_the_database(api_db: Path, client: TestClient) -> None:
    before = api_db.read_bytes()
    for path in ("/api/health", "/api/events?modality=all", "/api/series?dyad=RUS-UKR",
                 "/api/alerts", "/api/dyads", "/api/network", "/api/stories/demo-020"):
        assert client.get(path).status_code == 200, path
    assert api_db.read_bytes() == before


def test_a_database_without_analysis(tmp_path: Path, ctx: Context) -> None:
    db = _build(tmp_path, ctx, analysis=False)
    bare = TestClient(create_app(str(db)))
    assert bare.get("/api/health").json()["analysis"] is False
    assert bare.get("/api/events").json()["total"] > 0
    before = db.read_bytes()
    series = bare.get("/api/series", params={"dyad": "RUS-UKR"})
    assert series.status_code == 200 and series.json()["rows"]  # stories computed in memory
    alerts = bare.get("/api/alerts").json()
    assert alerts["computed"] is True and alerts["stored"] is False
    assert bare.get("/api/stories/demo-020").status_code == 404
    assert db.read_bytes() == before  # nothing was written to compute them
    assert bare.get("/api/dyads").json()["most_active"]


@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"dyad": "Russia-Ukraine"}),
    ("/api/events", {"actor": "Russia"}),
    ("/api/series", {"dyad": "Russia-UKR"}),
    ("/api/alerts", {"dyad": "RUSSIA-UKR"}),
])
def test_unknown_actor_codes_are_422s_with_suggestions(client: TestClient, path: str,
                                                      params: dict[str, str]) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    message = response.json()["message"]
    assert "E004 unknown actor code" in message and "RUS (Russia)" in message
    # the code as the user typed it, as the CLI says it (not upper-cased: 'RUSSIA')
    typed = next(p for v in params.values() for p in v.split("-") if p != "UKR")
    assert f"unknown actor code {typed!r}" in message


def test_missing_database(tmp_path: Path, api_db: Path) -> None:
    from foreshock.errors import StoreError

    with pytest.raises(StoreError, match="no such database"):
        create_app(str(tmp_path / "nothing.duckdb"))
    copy = tmp_path / "gone.duckdb"
    shutil.copy(api_db, copy)
    app = TestClient(create_app(str(copy)))
    copy.unlink()
    response = app.get("/api/health")
    assert response.status_code == 503 and "database unavailable" in response.json()["detail"]


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/series", "/api/alerts", "/api/alerts/{alert_id}",
            "/api/dyads", "/api/dyads/search", "/api/network", "/api/map",
            "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/reviews",
            "/api/export", "/api/codebook", "/api/health", "/api/code"} == set(spec["paths"])
    limit = next(p for p in spec["paths"]["/api/events"]["get"]["parameters"]
                 if p["name"] == "limit")
    assert limit["schema"]["maximum"] == MAX_PAGE
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/events" in docs.text
    # the docstrings' Markdown rendered, not shown raw; schemas and examples
    assert "<em>Most active</em>" in docs.text and "*Most active*" not in docs.text
    assert "<code>foreshock code</code>" in docs.text and "`" not in docs.text
    assert "<summary><code>EventsResponse</code>" in docs.text
    assert "href='/api/events?dyad=RUS-UKR'" in docs.text
    assert "curl -X POST" in docs.text and "&quot;verdict&quot;: &quot;wrong&quot;" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text  # nothing from outside
    assert client.get("/redoc").status_code == 404


def test_dashboard_page_and_local_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'id="dyad-search"' in page.text
    assert "http://" not in page.text and "https://" not in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    for asset in ("/static/dashboard.js", "/static/dashboard.css",
                  "/static/geo/world_110m.json"):
        assert client.get(asset).status_code == 200, asset
    plain = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200 and len(plain.content) > 1_000_000
    packed = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    # httpx decodes the body: the same script arrives either way
    assert packed.content == plain.content


# --- pieces -----------------------------------------------------------------------------------


def test_trigger_in_sentence_picks_the_occurrence_holding_the_span() -> None:
    sentence = "Russia warned Kyiv."
    text = f"{sentence} Then again: {sentence}"
    second = text.rindex(sentence)
    start, end = second + 7, second + 13
    assert text[start:end] == "warned"
    assert trigger_in_sentence(sentence, "warned", start, end, text, 0) == (7, 13)
    window = text[second - 5:]
    assert trigger_in_sentence(sentence, "warned", start, end, window, second - 5) == (7, 13)
    # no article text: the trigger's first occurrence; nothing to find: None
    assert trigger_in_sentence(sentence, "warned", start, end, None, 0) == (7, 13)
    assert trigger_in_sentence(sentence, "attacked", start, end, None, 0) is None


def test_serve_command_registers_with_an_example() -> None:
    from foreshock.cli import serve

    group = click.Group("foreshock", commands=list(serve.COMMANDS))
    result = CliRunner().invoke(group, ["serve", "--help"])
    assert result.exit_code == 0
    assert "Example:\n      foreshock serve --db" in result.output
    assert "FORESHOCK_TOKEN" in result.output
    missing = CliRunner().invoke(group, ["serve", "--db", "/nonexistent/x.duckdb"])
    assert missing.exit_code == 2 and "E040" in missing.output
    assert "no such database" in missing.output
    assert serve.is_loopback("127.0.0.1") and serve.is_loopback("::1")
    assert serve.is_loopback("localhost") and not serve.is_loopback("0.0.0.0")


# --- hostile requests -------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/events?since=0001-01-01", "/api/alerts?until=9999-12-31",
                                  "/api/network?since=1899-12-31"])
def test_dates_outside_the_plausible_range_are_422s(client: TestClient, path: str) -> None:
    """Year 1 used to pass and crash date arithmetic (OverflowError, then a 500)."""
    response = client.get(path)
    assert response.status_code == 422
    assert "outside the plausible range of news dates, 1900-01-01 to" in response.json()[
        "message"]


@pytest.mark.parametrize("value", ["2022-02-30", "2022-13-01", "yesterday", "0", "20220224"])
def test_a_day_that_is_no_date_is_the_same_e006_as_on_the_command_line(
        client: TestClient, value: str) -> None:
    """Every path has one date check and one message: the CLI's `--since 2022-02-30` and the
    API's `since=2022-02-30` both say E006 ... is not a date (pydantic used to answer in its
    own words, and only the range was E006)."""
    for path in ("/api/events", "/api/dyads", "/api/alerts"):
        response = client.get(path, params={"since": value})
        assert response.status_code == 422
        assert f"since: Value error, E006 {value!r} is not a date; expected YYYY-MM-DD" == \
            response.json()["message"], response.json()


def test_lone_surrogate_in_posted_text_is_a_422_not_a_500(client: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for body in (b'{"text": "Russia \\ud800 attacked.", "date": "2022-02-24"}',
                 b'{"text": "\\udfff", "date": "0001-01-01"}'):
        response = client.post("/api/code", content=body, headers=auth)
        assert response.status_code == 422, response.text
        assert "text: " in response.json()["message"]
        assert response.json()["detail"][0]["loc"] == ["body", "text"]
    dated = client.post("/api/code", json={"text": "Russia attacked.", "date": "0001-01-01"},
                        headers=auth)
    assert dated.status_code == 422 and "plausible range" in dated.json()["message"]


def test_host_header_must_name_the_server(api_db: Path) -> None:
    """DNS rebinding: a page at evil.example resolving to 127.0.0.1 sends Host: evil..."""
    from foreshock.cli.serve import allowed_hosts

    app = TestClient(create_app(str(api_db), allowed_hosts=allowed_hosts("127.0.0.1")))
    assert app.get("/api/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert app.get("/api/health", headers={"Host": "localhost:8000"}).status_code == 200
    assert app.get("/api/health", headers={"Host": "[::1]:8000"}).status_code == 200
    refused = app.get("/api/health", headers={"Host": "evil.example:8000"})
    assert refused.status_code == 400 and "--allow-host" in refused.json()["detail"]
    assert app.get("/", headers={"Host": "evil.example"}).status_code == 400
    extra = TestClient(create_app(str(api_db),
                                  allowed_hosts=allowed_hosts("127.0.0.1", ("news.lan",))))
    assert extra.get("/api/health", headers={"Host": "news.lan"}).status_code == 200
    assert allowed_hosts("0.0.0.0") == ["*"]
    assert allowed_hosts("0.0.0.0", ("a.lan",)) == ["a.lan"]


def test_a_database_held_by_a_writer_is_a_503_with_retry_after(tmp_path: Path,
                                                               api_db: Path) -> None:
    import subprocess
    import sys

    copy = tmp_path / "busy.duckdb"
    shutil.copy(api_db, copy)
    app = TestClient(create_app(str(copy)))
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('held', flush=True); time.sleep(30)", str(copy)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        response = app.get("/api/health")
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert f"process {holder.pid} is writing it" in response.json()["detail"]
    finally:
        holder.kill()
        holder.wait()
    assert app.get("/api/health").status_code == 200


def test_infinity_in_a_body_is_a_422_not_a_500(client: TestClient) -> None:
    """Found by the fuzz suite: Python's JSON reader accepts Infinity, and the 422 handler
    could not write it back in its echo of the input."""
    response = client.post("/api/code", content=b'{"text": null, "date": Infinity}',
                           headers={"Authorization": f"Bearer {TOKEN}",
                                    "Content-Type": "application/json"})
    assert response.status_code == 422
    assert "date" in response.json()["message"] and "text" in response.json()["message"]


# --- the dashboard's resources ------------------------------------------------------------


@pytest.fixture()
def writable(api_db: Path, tmp_path: Path) -> Path:
    """A copy of the API database that a test may write (reviews)."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(api_db, copy)
    return copy


def test_dyad_search_over_every_dyad(client: TestClient, api_db: Path) -> None:
    everything = client.get("/api/dyads/search", params={"limit": 500}).json()
    (dyads,), = rows(api_db, "SELECT count(DISTINCT least(source, target) || '-' || "
                             "greatest(source, target)) FROM events WHERE modality = 'asserted'"
                             " AND source IS NOT NULL AND target IS NOT NULL "
                             "AND source <> target")
    assert everything["total"] == len(everything["dyads"]) == dyads
    by_name = client.get("/api/dyads/search", params={"q": "russia"}).json()["dyads"]
    assert by_name and all("RUS" in d["dyad"].split("-") for d in by_name)
    assert by_name[0]["names"].count("Russia") == 1
    by_alias = client.get("/api/dyads/search", params={"q": "kremlin"}).json()["dyads"]
    assert {d["dyad"] for d in by_alias} == {d["dyad"] for d in by_name}
    pair = client.get("/api/dyads/search", params={"q": "ukraine-rus"}).json()
    assert [d["dyad"] for d in pair["dyads"]] == ["RUS-UKR"]
    assert client.get("/api/dyads/search", params={"q": "x" * 81}).status_code == 422


def test_dyads_carry_their_latest_alert_and_follow_the_period(client: TestClient) -> None:
    alert = client.get("/api/alerts").json()["alerts"][0]
    body = client.get("/api/dyads", params={"limit": 100}).json()
    rus_ukr = next(a for a in body["most_active"] if a["dyad"] == "RUS-UKR")
    assert rus_ukr["latest_alert"]["alert_id"] == alert["alert_id"]
    before = (dt.date.fromisoformat(alert["date"]) - dt.timedelta(days=1)).isoformat()
    earlier = client.get("/api/dyads", params={"limit": 100, "until": before}).json()
    assert earlier["as_of"] <= before
    assert all(d["latest_alert"] is None for d in earlier["most_active"]
               if d["dyad"] == "RUS-UKR")
    assert sum(d["events"] for d in earlier["most_active"]) < sum(
        d["events"] for d in body["most_active"])


def test_map_counts_events_per_country(client: TestClient, api_db: Path) -> None:
    body = client.get("/api/map", params={"since": "2022-01-01"}).json()
    assert body["basis"] == "actors" and body["modality"] == "asserted"
    counts = {c["code"]: c for c in body["countries"]}
    (russia,), = rows(api_db, "SELECT count(*) FROM events WHERE modality = 'asserted' AND "
                              "date >= '2022-01-01' AND (source = 'RUS' OR target = 'RUS')")
    assert counts["RUS"]["events"] == russia > 0 and counts["RUS"]["name"] == "Russia"
    assert "NATO" not in counts  # organisations are no place on a map
    every = client.get("/api/map", params={"modality": "all"}).json()
    assert every["events"] > body["events"]
    # events now carry where they happened (issue 11): each counts once, for that country
    action = client.get("/api/map", params={"basis": "action", "modality": "all"})
    assert action.status_code == 200 and action.json()["basis"] == "action"
    placed = action.json()["events"]
    assert 0 < placed <= every["events"]


def test_an_alert_explained_with_every_event_behind_it(client: TestClient) -> None:
    alert = client.get("/api/alerts").json()["alerts"][0]
    body = client.get(f"/api/alerts/{alert['alert_id']}").json()
    assert body["alert"]["threshold"] == 4.0 and body["alert"]["dyad"] == "RUS-UKR"
    assert "4.0" in body["reading"] and "5.0%" in body["reading"]  # threshold, baseline
    assert body["detector"]["name"] == "robust_z"
    assert body["detector"]["parameters"]["threshold"] == 4.0
    day = dt.date.fromisoformat(alert["date"])
    assert body["window_start"] == (day - dt.timedelta(days=6)).isoformat()
    events = body["events"]
    assert {e["event_id"] for e in alert["evidence"]} <= {e["event_id"] for e in events}
    assert all({e["source"], e["target"]} == {"RUS", "UKR"} and e["quad_class"] >= 3
               and body["window_start"] <= e["date"] <= alert["date"] for e in events)
    assert {s["story_id"] for s in body["stories"]} == {e["story_id"] for e in events}
    assert body["series"] and all(r["dyad"] == "RUS-UKR" for r in body["series"])
    assert client.get("/api/alerts/nothing").status_code == 404


def test_an_article_with_every_event_and_its_story(client: TestClient, api_db: Path) -> None:
    body = client.get("/api/articles/demo-020").json()
    (count,), = rows(api_db, "SELECT count(*) FROM events WHERE article_id = 'demo-020'")
    assert len(body["events"]) == count > 0
    for event in body["events"]:
        assert body["text"][event["start_char"]:event["end_char"]] == event["trigger"]
    assert body["story"]["story_id"] == "demo-020"
    assert [a["article_id"] for a in body["other_articles"]] == ["demo-021", "demo-022"]
    assert client.get("/api/articles/nothing").status_code == 404


def test_story_outlets_are_publishers_never_file_paths(writable: Path) -> None:
    con = duckdb.connect(str(writable))
    # an article read from a text file has no outlet: clustering keeps its path instead
    con.execute("UPDATE articles SET outlet = NULL WHERE article_id = 'demo-021'")
    con.execute("UPDATE story_members SET outlet = '/home/me/news/a.txt' "
                "WHERE article_id = 'demo-021'")
    con.close()
    body = TestClient(create_app(str(writable))).get("/api/stories/demo-020").json()
    outlets = {a["article_id"]: a["outlet"] for a in body["articles"]}
    assert outlets["demo-021"] is None and outlets["demo-020"] == "Demo Wire"


def test_reviews_need_the_token_and_are_never_deleted(writable: Path) -> None:
    app = TestClient(create_app(str(writable), token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    alert = app.get("/api/alerts").json()["alerts"][0]
    event_id = alert["evidence"][0]["event_id"]
    assert app.post("/api/reviews", json={"event_id": event_id}).status_code == 403
    closed = TestClient(create_app(str(writable))).post(
        "/api/reviews", json={"event_id": event_id}, headers=auth)
    assert closed.status_code == 403 and "disabled" in closed.json()["detail"]
    assert app.post("/api/reviews", json={"event_id": "nothing"}, headers=auth
                    ).status_code == 404
    made = app.post("/api/reviews", json={"event_id": event_id, "note": "a warning"},
                    headers=auth)
    assert made.status_code == 201 and made.json()["verdict"] == "wrong"
    assert made.json()["sentence"] == alert["evidence"][0]["sentence"]
    listed = app.get("/api/reviews").json()
    assert listed["wrong"] == 1 and listed["reviews"][0]["note"] == "a warning"
    page = app.get("/api/events", params={"dyad": "RUS-UKR", "modality": "all",
                                          "limit": MAX_PAGE, "quad": 4}).json()["events"]
    assert {e["event_id"]: e["review"] for e in page}[event_id] == "wrong"
    # left out of series and alerts when asked: computed for the request, not stored
    kept = app.get("/api/alerts").json()
    left = app.get("/api/alerts", params={"exclude_reviewed": "true"}).json()
    assert kept["stored"] is True and left["stored"] is False
    assert all(event_id not in {e["event_id"] for e in a["evidence"]} for a in left["alerts"])
    with_it = app.get("/api/series", params={"dyad": "RUS-UKR"}).json()["rows"]
    without = app.get("/api/series", params={"dyad": "RUS-UKR", "exclude_reviewed": "true"}
                      ).json()["rows"]
    assert sum(r["q4"] for r in without) < sum(r["q4"] for r in with_it)
    # taking it back is a second review: both stay
    back = app.post("/api/reviews", json={"event_id": event_id, "verdict": "right"},
                    headers=auth)
    assert back.status_code == 201
    assert app.get("/api/reviews").json()["wrong"] == 0
    assert [r[0] for r in rows(writable, "SELECT verdict FROM reviews ORDER BY created")
            ] == ["wrong", "right"]
    allow = app.request("DELETE", "/api/reviews")
    assert allow.status_code == 405 and allow.headers["allow"] == "GET, POST"


def test_export_of_a_view(client: TestClient) -> None:
    import io

    import pyarrow.parquet as pq

    view = {"dyad": "RUS-UKR", "since": "2022-01-01", "modality": "all"}
    total = client.get("/api/events", params={**view, "limit": 1}).json()["total"]
    text = client.get("/api/export", params=view)
    assert text.headers["content-type"].startswith("text/csv")
    assert 'filename="foreshock-events-RUS-UKR-2022-01-01.csv"' in \
        text.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(text.text)))) == total > 0
    table = pq.read_table(io.BytesIO(client.get("/api/export", params={
        **view, "format": "parquet"}).content))
    assert table.num_rows == total and table.schema.field("code").type == "string"
    alerts = pq.read_table(io.BytesIO(client.get("/api/export", params={
        "what": "alerts", "format": "parquet"}).content))
    assert alerts.num_rows == 1 and alerts.column("evidence")[0].as_py()[0]["sentence"]
    alert_id = alerts.column("alert_id")[0].as_py()
    behind = client.get("/api/export", params={"alert": alert_id})
    detail = client.get(f"/api/alerts/{alert_id}").json()
    assert {r["event_id"] for r in csv.DictReader(io.StringIO(behind.text))} == {
        e["event_id"] for e in detail["events"]}
    series = client.get("/api/export", params={"what": "series", "dyad": "RUS-UKR"})
    assert series.text.startswith("period,dyad,")
    assert client.get("/api/export", params={"what": "series"}).status_code == 422


def test_codebook(client: TestClient) -> None:
    body = client.get("/api/codebook").json()
    codes = {c["code"]: c for c in body["cameo"]}
    assert codes["190"]["quad_class"] == 4 and codes["190"]["root"] == "19"
    assert [q["key"] for q in body["quad_classes"]] == ["1", "2", "3", "4"]
    assert {m["key"] for m in body["modalities"]} == {"asserted", "negated", "hypothetical",
                                                      "future"}
    detectors = {d["name"]: d for d in body["detectors"]}
    # every detector an alert can name is described, with the settings that fired it
    assert set(detectors) == {"robust_z", "cusum", "onset", "severe", "front", "crisis_entry",
                              "war_state"}
    assert all(d["summary"] for d in detectors.values())
    assert all(detectors[n]["parameters"]["threshold"] for n in ("robust_z", "cusum", "onset"))
    assert detectors["war_state"]["parameters"]["war_days"] >= 1
    assert detectors["severe"]["parameters"]["max_goldstein"] <= -9
    assert "-10" in body["goldstein"]
