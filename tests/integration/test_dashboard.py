"""The dashboard end to end: the server on the demo database, Debian's Chromium driven by
Playwright: overview -> alert -> story -> article -> review -> export, a dyad found by
search, the period zooming the page, 390 px, screenshots of the real pages kept; and the
first paint timed on the demo database and on a 10,000-article one (issue 13's targets).

Chromium is the system one (/usr/bin/chromium); Playwright never downloads a browser.
Locally the test skips when either is missing; under CI (``CI`` set) it fails instead,
so a CI machine without them cannot pass by skipping.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from live_server import build_demo_database, build_synthetic_database, serving

from foreshock.api import create_app

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("FORESHOCK_CHROMIUM", "/usr/bin/chromium"))
# flags that work on this project's machines (see the machine notes): no sandbox as root,
# no GPU, and no background connections to Google's hosts (the network is closed)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = 20
TOKEN = "review-token-1"
# issue 13's targets for the first paint (fresh browser profile): < 2 s on the demo
# database, < 3 s on a 10,000-article one.  A slow CI machine may raise them (never the
# defaults): FORESHOCK_DASHBOARD_BUDGET_S (demo), FORESHOCK_DASHBOARD_10K_BUDGET_S (10,000)
DEMO_BUDGET_S = float(os.environ.get("FORESHOCK_DASHBOARD_BUDGET_S", "2.0"))
LARGE_BUDGET_S = float(os.environ.get("FORESHOCK_DASHBOARD_10K_BUDGET_S", "3.0"))
LARGE_ARTICLES = 10_000
# first loads timed per database; the median is asserted (see _first_paints)
FIRST_LOADS = 5


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: .ci/run must install it for the browser test", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser_type() -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright.chromium


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_database(tmp_path_factory.mktemp("dashboard") / "demo.duckdb")


@pytest.fixture(scope="module")
def large_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """10,000 synthetic articles with events, stories and alerts (40-50 s to build on two
    cores: no coder runs, see build_synthetic_database)."""
    db = tmp_path_factory.mktemp("dashboard-10k") / "synthetic.duckdb"
    return db, build_synthetic_database(db, LARGE_ARTICLES)


@pytest.fixture(scope="module")
def server(demo_db: Path) -> Iterator[str]:
    # a small page size, so the dashboard must respect the server's limit and page
    with serving(create_app(str(demo_db), max_page=PAGE, token=TOKEN)) as url:
        yield url


def _first_load_ms(browser: Any, server: str) -> int:
    """Milliseconds from navigation to the overview drawn, in a fresh profile (empty
    cache).  The page marks itself ready after an error too: the overview must be there."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(server + "/")
        page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        assert page.locator("#error").is_hidden(), page.locator("#error").inner_text()
        assert page.locator("table.escalating tbody tr").count() > 0
        assert page.locator("#alert-list li").count() > 0
        return int(page.evaluate("document.body.dataset.readyMs"))
    finally:
        context.close()


def _first_paints(browser: Any, db: Path) -> list[int]:
    """FIRST_LOADS first loads of the overview (ms), the server warmed first (its first
    plotly.js request compresses the file once)."""
    with serving(create_app(str(db))) as url:
        warm = browser.new_context()
        warm.new_page().goto(url + "/vendor/plotly.min.js")
        warm.close()
        return [_first_load_ms(browser, url) for _ in range(FIRST_LOADS)]


def _ready(page: Any) -> None:
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)


def _click_alert_mark(page: Any) -> None:
    """Click the first alert of the timeline where plotly drew it (it hit-tests itself)."""
    page.locator("#timeline").scroll_into_view_if_needed()
    point = page.locator("#timeline .scatterlayer .point").first.bounding_box()
    assert point
    page.mouse.click(point["x"] + point["width"] / 2, point["y"] + point["height"] / 2)


def test_dashboard_overview_alert_story_review_export(browser_type: object, server: str,
                                                       demo_db: Path) -> None:
    from playwright.sync_api import BrowserType, Request, expect

    assert isinstance(browser_type, BrowserType)
    browser = browser_type.launch(executable_path=str(CHROMIUM), args=FLAGS)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        # warm the server (its first plotly.js request compresses the file once)
        context = browser.new_context()
        context.new_page().goto(server + "/vendor/plotly.min.js")
        context.close()

        context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                      accept_downloads=True)
        page = context.new_page()
        problems: list[str] = []
        outside: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))

        def request(r: Request) -> None:
            if not (r.url.startswith(server) or r.url.startswith("data:")):
                outside.append(r.url)

        page.on("request", request)
        page.goto(server + "/", wait_until="networkidle")
        _ready(page)

        # the overview: escalating dyads, a shaded world map (geometry from this server),
        # the alerts of every dyad; no reference line unless one is chosen
        expect(page.locator("table.escalating tbody tr").first).to_be_visible()
        expect(page.locator("#map .choroplethlocation").first).to_be_attached()
        assert page.locator("#map .choroplethlocation").count() > 20
        alerts = page.locator("#alert-list li")
        assert alerts.count() >= 2, "the demo database raises real alerts"
        assert page.locator("#onset").input_value() == ""
        assert page.locator(".annotation-text").count() == 0
        page.screenshot(path=str(ARTIFACTS / "dashboard-overview.png"), full_page=True)

        # an alert: plain words, its threshold and baseline, the series, every event
        _click_alert_mark(page)
        expect(page.locator("#alert-title")).to_contain_text("Alert on")
        _ready(page)
        reading = page.locator("#alert-reading").inner_text()
        assert "raised an alert" in reading and "Usually" in reading
        for field in ("detector", "score", "threshold", "baseline", "kind", "explanation"):
            expect(page.locator(f"dd[data-field='{field}']")).not_to_be_empty()
        # alerts.v2: the kind in the title, the explanation above the plain words
        expect(page.locator("#alert-title")).to_contain_text("escalation")
        expect(page.locator("p.explanation")).to_contain_text("threshold")
        expect(page.locator("#alert-chart .main-svg").first).to_be_visible()
        events = page.locator("table.events tbody tr")
        assert events.count() >= 3
        page.screenshot(path=str(ARTIFACTS / "dashboard-alert.png"), full_page=True)

        # its export: the window's events as CSV
        with page.expect_download() as download:
            page.click("#export-csv")
        exported = list(csv.DictReader(io.StringIO(
            Path(download.value.path()).read_text(encoding="utf-8"))))
        shown = {events.nth(i).get_attribute("data-event") for i in range(events.count())}
        assert {r["event_id"] for r in exported} == shown

        # a story of the alert, with its outlets (names, never a file path)
        page.locator("ul.stories a").last.click()
        expect(page.locator("#story-title")).not_to_be_empty()
        _ready(page)
        outlets = page.locator("ul.outlets li strong").all_inner_texts()
        assert outlets and not any("/" in o or o.endswith(".txt") for o in outlets)

        # an article of the story: its text with every event marked
        page.locator("ul.outlets li a").first.click()
        expect(page.locator("#article-title")).not_to_be_empty()
        _ready(page)
        marks = page.locator("#article-text mark")
        assert marks.count() >= 1
        text = page.locator("#article-text").inner_text()
        assert all(m in text for m in marks.all_inner_texts())
        page.screenshot(path=str(ARTIFACTS / "dashboard-article.png"), full_page=True)

        # review: without the token the page says why; with it the event is marked wrong
        first = page.locator("table.article-events tbody tr").first
        event_id = first.get_attribute("data-event")
        first.locator("button.review").click()
        expect(page.locator("#error")).to_contain_text("token")
        page.fill("#token", TOKEN)
        page.locator(f"table.article-events tr[data-event='{event_id}'] button.review").click()
        expect(page.locator(f"table.article-events tr[data-event='{event_id}'] .badge.wrong")
               ).to_be_visible()
        con = duckdb.connect(str(demo_db), read_only=True)
        try:
            stored = con.execute("SELECT verdict FROM reviews WHERE event_id = ?",
                                 [event_id]).fetchall()
        finally:
            con.close()
        assert stored == [("wrong",)]

        # dyad search over every dyad, by name; the dyad page pages its events
        page.fill("#dyad-search", "russia-ukraine")
        page.press("#dyad-search", "Enter")
        expect(page.locator("#chart-title")).to_have_text("RUS-UKR: weekly series")
        _ready(page)
        assert page.locator("#chart g.trace.bars").count() == 4
        rows = page.locator("table.events tbody tr")
        total = int(page.locator("#events-count").inner_text().split()[0])
        assert total > PAGE and rows.count() == PAGE
        mark = page.locator("table.events td.evidence mark").first
        assert mark.inner_text().strip()
        page.click("#next")
        expect(page.locator("#page-info")).to_contain_text(f"{PAGE + 1}–")
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

        # a period filters the table and the alerts and zooms the chart
        page.fill("#since", "2022-01-01")
        page.fill("#until", "2022-01-31")
        page.locator("#until").dispatch_event("change")
        _ready(page)
        dates = page.locator("table.events tbody td.date").all_inner_texts()
        assert dates and all("2022-01-01" <= d <= "2022-01-31" for d in dates)
        ticks = page.locator("#chart .xtick text").all_text_contents()
        assert ticks and not any("Nov" in t for t in ticks), ticks

        # the modality filter reaches the table and the network
        page.select_option("#modality", "all")
        _ready(page)
        assert "all events" in page.locator("#events-count").inner_text()

        # the codebook
        page.click("#nav-codebook")
        expect(page.locator("#cameo-title")).to_contain_text("CAMEO codes")
        _ready(page)
        page.fill("#cameo-filter", "threaten")
        assert all("hreat" in t.lower() or t[:2] == "13" for t in
                   page.locator("#cameo tbody td:nth-child(2)").all_inner_texts())

        assert not problems, problems
        assert not outside, f"requests left the machine: {outside}"
        context.close()

        # 390 px: nothing wider than the screen, on the overview and a dyad page
        phone = browser.new_context(viewport={"width": 390, "height": 844})
        small = phone.new_page()
        for fragment in ("/", "/#/dyad/RUS-UKR"):
            small.goto(server + fragment)
            _ready(small)
            width = small.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, (fragment, width)
        small.screenshot(path=str(ARTIFACTS / "dashboard-390.png"), full_page=True)
        phone.close()
    finally:
        browser.close()


@pytest.mark.parametrize(("database", "budget_s"), [("demo", DEMO_BUDGET_S),
                                                    ("10k", LARGE_BUDGET_S)])
def test_first_paint_within_budget(browser_type: object, request: pytest.FixtureRequest,
                                   database: str, budget_s: float) -> None:
    """Issue 13: first paint < 2 s on the demo database, < 3 s on 10,000 articles.

    The median of FIRST_LOADS fresh-profile loads is asserted, not one load nor the fastest:
    on a shared two-core machine one load now and then lands on another job's burst (a
    single 2.6 s among loads of 1.8-2.0 s was seen), which a median ignores, while a
    page that is slow on most loads still fails (the fastest load would hide that)."""
    from playwright.sync_api import BrowserType

    assert isinstance(browser_type, BrowserType)
    built: dict[str, Any] = {}
    if database == "demo":
        db = request.getfixturevalue("demo_db")
    else:
        db, built = request.getfixturevalue("large_db")
    browser = browser_type.launch(executable_path=str(CHROMIUM), args=FLAGS)
    try:
        samples = _first_paints(browser, db)
    finally:
        browser.close()
    median_ms = statistics.median(samples)
    timing = {"database": database, "first_paint_ms": samples, "median_ms": median_ms,
              "budget_s": budget_s, "load_average": [round(x, 2) for x in os.getloadavg()],
              **({"built": built} if built else {})}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"dashboard-timing-{database}.json").write_text(json.dumps(timing) + "\n")
    print(f"dashboard first paint: {timing}")
    assert median_ms / 1000 < budget_s, f"first paint median {median_ms} ms: {timing}"


def test_live_dashboard_shows_a_new_alert_without_a_reload(browser_type: object,
                                                           demo_db: Path,
                                                           tmp_path: Path) -> None:
    """Live mode: the page looks at /api/health now and then and redraws when it changed."""
    import dataclasses
    import shutil
    import threading

    from playwright.sync_api import BrowserType, expect

    from foreshock.alerts.config import load_config
    from foreshock.alerts.run import Alert, data_basis, load_alerts, write_alerts
    from foreshock.store.db import connect

    assert isinstance(browser_type, BrowserType)
    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    owner = connect(str(db))  # the one writer, as `foreshock watch --serve` holds it
    root, lock = owner.cursor(), threading.Lock()

    def connector() -> Any:
        with lock:
            return root.cursor()

    browser = browser_type.launch(executable_path=str(CHROMIUM), args=FLAGS)
    try:
        with serving(create_app(str(db), connector=connector, live=True)) as url:
            page = browser.new_context().new_page()
            page.goto(url + "/#/dyad/RUS-UKR")
            page.wait_for_selector("body[data-ready='1']", timeout=15_000)
            expect(page.locator("#dbinfo")).to_contain_text("live")
            # the dyad page lists the alerts of the period: a new one on its last day
            last = owner.execute("SELECT max(date) FROM articles").fetchone()
            assert last is not None
            day: dt.date = last[0]
            marker = f"{day} RUS-UKR"
            assert marker not in page.locator("#alerts").inner_text()
            stored = load_alerts(owner)
            alert = Alert("RUS-UKR", False, day, "robust_z", "conflict",
                          9.9, 4.0, 0.5, 0.1, 30, 12, 4, episode_start=day)
            kept = [Alert(r["dyad"], r["directed"], r["date"], r["detector"], r["signal"],
                          r["score"], r["threshold"], r["value"], r["baseline"],
                          r["window_events"], r["window_articles"], r["dyad_events"],
                          episode_start=r["episode_start"]) for r in stored]
            # stored as current for the data (stale stored alerts are recomputed in memory
            # by the server, which would not show a hand-written one)
            write_alerts(owner, "all", [*kept, dataclasses.replace(alert)],
                         data_basis(owner, load_config()))
            # no reload: the poll (every 5 s) notices the new count and redraws
            expect(page.locator("#alerts")).to_contain_text(marker, timeout=20_000)
            assert page.evaluate("document.body.dataset.liveUpdates") == "1"
    finally:
        browser.close()
        root.close()
        owner.close()
