"""``foreshock train``: fine-tune the event classifier on the project's annotations."""

from __future__ import annotations

from pathlib import Path

import click

from foreshock.cli._common import ExampleCommand, settings_of
from foreshock.extract.learned.classifier import default_model_dir
from foreshock.extract.learned.features import LAYOUTS


@click.command("train", cls=ExampleCommand)
@click.option("--annotations", type=click.Path(exists=True, dir_okay=False),
              default="annotations/train.jsonl", show_default=True,
              help="Annotated sentences (annotation-guide JSONL) to learn from.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Model directory to write [default: the bundled model's; with "
                   "--gate-only required].  Training or --policy-only there removes its "
                   "encoder gate: train it again with the command in its meta.json.")
@click.option("--epochs", type=click.IntRange(1), default=5, show_default=True)
@click.option("--lr", type=float, default=8e-5, show_default=True,
              help="Learning rate of the encoder (the head's is 1e-3).")
@click.option("--seed", type=int, default=None,
              help="Seed of training and of the held-out tenth [default: 13; with "
                   "--policy-only the model's own; with --gate-only the seed of the corpus "
                   "samples and of the calibration fifth].")
@click.option("--mode", type=click.Choice(["finetune", "frozen"]), default="finetune",
              show_default=True, help="Fine-tune the encoder, or train the head only.")
@click.option("--threads", type=click.IntRange(1), default=1, show_default=True,
              help="Torch threads (more than one only pays on an otherwise idle machine).")
@click.option("--features", type=click.Choice(sorted(LAYOUTS)), default="pairs.v1",
              show_default=True,
              help="What the head reads of a pair: v1 sentence, source and target vectors; "
                   "v2 also the anchor word that links them.")
@click.option("--layers", type=click.IntRange(1, 6), default=6, show_default=True,
              help="Encoder layers kept (the lower ones of all-MiniLM-L6-v2's six): fewer "
                   "code faster, each layer about a sixth of the encoder's time.")
@click.option("--augment-names", type=click.FloatRange(0.0, 1.0), default=0.0,
              show_default=True,
              help="Share of training sentences, drawn anew each epoch, whose countries are "
                   "swapped for other countries (the labels kept), so that the classifier "
                   "learns acts rather than names; fine-tuning only.")
@click.option("--augment-people", is_flag=True,
              help="With --augment-names: swap the people of the actor dictionary too (a "
                   "person for another person).")
@click.option("--policy-only", is_flag=True,
              help="Keep the model's weights in --out and only choose its decision policy "
                   "again on the held-out tenth (after the rules changed); removes its "
                   "encoder gate, calibrated under the old policy; needs no torch.")
@click.option("--gate-only", is_flag=True,
              help="Keep the weights of the model in --out (required: the model directory, "
                   "the bundled one or a copy) and train only its encoder gate (which "
                   "sentences need not be encoded) from its own readings of the fit part "
                   "of --annotations and of samples of each --corpus; writes gate.npz and "
                   "a 'gate' record in meta.json (the model's version changes); needs no "
                   "torch.")
@click.option("--corpus", "corpora", multiple=True,
              type=click.Path(exists=True, dir_okay=False),
              help="With --gate-only: a news file (any format `foreshock ingest` reads) to "
                   "sample documents from; repeat it.")
@click.option("--gate-words", type=click.IntRange(1000), default=100_000, show_default=True,
              help="With --gate-only: words sampled (seeded) from each --corpus.")
@click.option("--gate-keep", type=click.FloatRange(0.5, 1.0), default=0.99,
              show_default=True,
              help="With --gate-only: the share of the sentences where the classifier adds an "
                   "event that the gate must still send to it (on a held-out fifth).")
@click.option("--gate-teacher", type=click.FloatRange(0.0, 1.0), default=0.3,
              show_default=True,
              help="With --gate-only: the classifier's P(event) at or above which a sentence "
                   "is one the gate learns to send to it.")
@click.pass_context
def train_command(ctx: click.Context, annotations: str, out: str | None, epochs: int,
                  seed: int | None, mode: str, threads: int, lr: float, features: str,
                  layers: int, augment_names: float, augment_people: bool,
                  policy_only: bool, gate_only: bool,
                  corpora: tuple[str, ...], gate_words: int, gate_keep: float,
                  gate_teacher: float) -> None:
    """Train the classifier of the hybrid coder (needs the train extra: torch).

    Seeded; the held-out tenth of the training annotations chooses the decision
    policy (the best F1 less trap rate); validation annotations are never read
    (--gate-only reads their texts only, to leave them out).  Writes encoder.onnx,
    head.npz, tokenizer.json and meta.json; --gate-only writes gate.npz.

    Example:
        pip install -e '.[train]' && foreshock train --annotations annotations/train.jsonl
        foreshock train --policy-only
        foreshock train --gate-only --out /tmp/gated --corpus news.jsonl --corpus releases.csv
    """
    from foreshock.pipeline import load_context
    from foreshock.train.finetune import TrainConfig
    from foreshock.train.run import rechoose_policy, run_training

    if gate_only and not corpora:
        raise click.UsageError("--gate-only needs at least one --corpus: a gate learned from "
                               "annotated sentences alone missed many of the classifier's "
                               "events in whole documents (BENCHMARKS.md)")
    if gate_only and not out:
        raise click.UsageError("--gate-only needs --out: the model directory whose gate to "
                               "train (its weights are kept; a gate there is replaced)")
    if augment_names and mode != "finetune":
        raise click.UsageError("--augment-names needs --mode finetune: the frozen head reads "
                               "features computed once, before any swap")
    if augment_people and not augment_names:
        raise click.UsageError("--augment-people needs --augment-names P (the share of "
                               "sentences whose names are swapped)")
    if corpora and not gate_only:
        raise click.UsageError("--corpus is read only with --gate-only")
    context = load_context(settings_of(ctx, coder="rules"))
    if gate_only and out:
        from foreshock.train.gate import GateConfig, train_gate

        train_gate(Path(out), Path(annotations),
                   [Path(c) for c in corpora], Path(annotations).with_name("validation.jsonl"),
                   context, GateConfig(seed=13 if seed is None else seed, words=gate_words,
                                       keep=gate_keep, teacher=gate_teacher),
                   log=lambda line: click.echo(line, err=True))
        return
    if policy_only:
        rechoose_policy(Path(annotations), Path(out) if out else default_model_dir(), context,
                        seed, log=lambda line: click.echo(line, err=True))
        return
    run_training(Path(annotations), Path(out) if out else default_model_dir(), context,
                 TrainConfig(epochs=epochs, seed=13 if seed is None else seed, mode=mode,
                             threads=threads, lr_encoder=lr, features=features,
                             layers=layers, augment_names=augment_names,
                             augment_people=augment_people),
                 log=lambda line: click.echo(line, err=True))


COMMANDS = (train_command,)
