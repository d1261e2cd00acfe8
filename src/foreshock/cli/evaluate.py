"""``foreshock eval``: accuracy on gold sets, printed for people or as JSON."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from foreshock.cli._common import ExampleCommand, settings_of
from foreshock.evaluate.gold import GoldSentence, read_gold
from foreshock.evaluate.run import Outcome, evaluate
from foreshock.evaluate.scoring import Report


def _load(path: str, fmt: str, limit: int | None) -> list[GoldSentence]:
    if fmt == "guide":
        sentences = list(read_gold(Path(path)))
    else:
        from foreshock.evaluate import importers

        sentences = list(importers.load(fmt, Path(path)))
    return sentences[:limit] if limit else sentences


def _print(console: Console, name: str, report: Report, outcomes: list[Outcome],
           seconds: float, show: str) -> None:
    for out in outcomes:
        s = out.score
        if show == "none" or (show == "errors" and not (s.missed or s.spurious or s.traps_hit)):
            continue
        console.print(f"[bold]{out.sentence.sentence_id}[/bold] {out.sentence.date} "
                      f"{out.sentence.text}", soft_wrap=True)
        for event in out.sentence.events:
            console.print(f"   gold  {event.source}->{event.target} {'/'.join(event.codes)}")
        for pred in out.predictions:
            mark = "" if pred.modality == "asserted" else f" \\[{pred.modality}]"
            console.print(f"   pred  {pred.source}->{pred.target} {pred.code}{mark} "
                          f"({pred.pattern})")
        for event in s.missed:
            console.print(f"   [red]MISS[/red] {event.source}->{event.target} "
                          f"{'/'.join(event.codes)}")
        for pred in s.spurious:
            console.print(f"   [yellow]EXTRA[/yellow] {pred.source}->{pred.target} {pred.code}")
        for trap in s.traps_hit:
            console.print(f"   [red]TRAP[/red] {trap.source}->{trap.target} {trap.root}: "
                          f"{trap.why}")
    table = Table(title=f"per root: {name}")
    for col in ("root", "gold", "predicted", "hits"):
        table.add_column(col, justify="right")
    for root in sorted(set(report.gold_by_root) | set(report.pred_by_root)):
        table.add_row(root, str(report.gold_by_root[root]), str(report.pred_by_root[root]),
                      str(report.hits_by_root[root]))
    console.print(table)
    rate = report.sentences / seconds if seconds else 0.0
    console.print(
        f"{name}: {report.sentences} sentences, {report.gold} gold events, "
        f"{report.predicted} predictions ({report.non_asserted} non-asserted not scored)\n"
        f"precision {report.precision:.3f}  recall {report.recall:.3f}  F1 {report.f1:.3f}  "
        f"trap rate {report.trap_rate:.3f} ({report.traps_hit}/{report.traps})\n"
        f"exact-code share {report.exact_share:.3f}  sector agreement "
        f"{report.sector_agreement:.3f}  quad-class P/R {report.quad_precision:.3f}/"
        f"{report.quad_recall:.3f}\n"
        f"speed {rate:.1f} sentences/s ({seconds:.1f}s)")


def _quad(console: Console, path: str, context: Any, limit: int | None, quiet: bool
          ) -> dict[str, object]:
    """Sentence-level QuadClass agreement for gold sets that label classes, not events."""
    from foreshock.evaluate.importers import load_quad_labels
    from foreshock.evaluate.quad import quad_agreement

    items = list(load_quad_labels(Path(path)))[:limit] if limit else \
        list(load_quad_labels(Path(path)))
    started = time.perf_counter()
    report = quad_agreement(items, context)
    seconds = time.perf_counter() - started
    data = report.as_dict()
    data["seconds"] = round(seconds, 3)
    if not quiet:
        recalls = ", ".join(f"{c}: {report.recall_of(c):.3f}" for c in range(5))
        console.print(f"{path}: {report.sentences} sentences, QuadClass agreement "
                      f"{report.accuracy:.3f} (0 = statement/no event); recall by class "
                      f"{recalls}; speed {report.sentences / seconds:.1f} sentences/s")
    return data


def _agreement(console: Console, gold: tuple[str, ...], against: str, show: str,
               as_json: bool) -> None:
    from foreshock.evaluate.run import agreement

    second = list(read_gold(Path(against)))
    results = {}
    for path in gold:
        report, outcomes = agreement(list(read_gold(Path(path))), second)
        results[path] = report.as_dict()
        if not as_json:
            _print(console, f"{path} vs {against}", report, outcomes, 0.0, show)
    if as_json:
        click.echo(json.dumps(results, indent=1))


def _reviews(console: Console, db: str, context: Any, quiet: bool) -> dict[str, Any]:
    """The coder on the reviews as extra gold: recall on events confirmed right, trap rate
    on events marked wrong (precision is left out: only reviewed events are known)."""
    from foreshock.evaluate.reviews import review_gold

    sentences = review_gold(db)
    report, _, _ = evaluate(sentences, context)
    data = {"sentences": len(sentences), "confirmed": report.gold,
            "recall": round(report.recall, 4), "marked_wrong": report.traps,
            "still_coded": report.traps_hit, "trap_rate": round(report.trap_rate, 4)}
    if not quiet:
        console.print(f"reviews in {db}: {len(sentences)} sentences; {report.gold} events "
                      f"confirmed right, recall {report.recall:.3f}; {report.traps} marked "
                      f"wrong, still coded {report.traps_hit} (trap rate "
                      f"{report.trap_rate:.3f})")
    return data


@click.command("eval", cls=ExampleCommand)
@click.argument("gold", nargs=-1, required=False, type=click.Path(exists=True))
@click.option("--format", "fmt", default="guide",
              type=click.Choice(["guide", "plover", "petrarch", "conflibert"]),
              help="Gold format [default: guide, the annotation guide's JSONL].")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--predictions", type=click.Path(dir_okay=False), default=None,
              help="Write one JSON line of predicted events per sentence id here.")
@click.option("--show", type=click.Choice(["errors", "all", "none"]), default="errors",
              help="Which sentences to print [default: errors].")
@click.option("--limit", type=click.IntRange(1), default=None, help="Only the first N.")
@click.option("--against", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Score this second annotation (guide format) instead of the coder: "
                   "inter-annotator agreement on the ids both files hold.")
@click.option("--reviews", "reviews_db", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Also score the coder on the reviews stored in this "
                                 "database (the dashboard's 'mark wrong'): recall over "
                                 "events confirmed right, trap rate over those marked wrong.")
@click.pass_context
def eval_command(ctx: click.Context, gold: tuple[str, ...], fmt: str, as_json: bool,
                 predictions: str | None, show: str, limit: int | None,
                 against: str | None, reviews_db: str | None) -> None:
    """Score the extractor on gold sentences: precision, recall, F1, trap rate.

    Matching, undirected meetings, modality and traps follow the annotation guide.

    Example:
        foreshock eval ../shared/data/gold-dev/events.jsonl --show none
        foreshock eval annotations/agreement/double-a.jsonl \
            --against annotations/agreement/double-b.jsonl
        foreshock eval --reviews demo.duckdb
    """
    console = Console(highlight=False)
    if not gold and not reviews_db:
        raise click.UsageError("give a gold file, or --reviews DB")
    if against:
        _agreement(console, gold, against, show, as_json)
        return
    from foreshock.pipeline import load_context

    context = load_context(settings_of(ctx))
    results = {}
    pred_lines: list[str] = []
    for path in gold:
        if fmt == "conflibert":
            results[path] = _quad(console, path, context, limit, as_json)
            continue
        sentences = _load(path, fmt, limit)
        report, outcomes, seconds = evaluate(sentences, context)
        data = report.as_dict()
        data["seconds"] = round(seconds, 3)
        data["sentences_per_second"] = round(len(sentences) / seconds, 2) if seconds else 0
        results[path] = data
        for out in outcomes:
            pred_lines.append(json.dumps({"id": out.sentence.sentence_id, "events": [
                {"source": p.source, "source_sector": p.source_sector, "code": p.code,
                 "target": p.target, "target_sector": p.target_sector,
                 "modality": p.modality, "evidence": p.evidence, "pattern": p.pattern}
                for p in out.predictions]}))
        if not as_json:
            _print(console, path, report, outcomes, seconds, show)
    if reviews_db:
        results[f"reviews:{reviews_db}"] = _reviews(console, reviews_db, context, as_json)
    if predictions:
        Path(predictions).write_text("\n".join(pred_lines) + "\n", encoding="utf-8")
    if as_json:
        click.echo(json.dumps(results, indent=1))


COMMANDS = (eval_command,)
