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
              help="Model directory to write [default: the bundled model's].")
@click.option("--epochs", type=click.IntRange(1), default=5, show_default=True)
@click.option("--lr", type=float, default=8e-5, show_default=True,
              help="Learning rate of the encoder (the head's is 1e-3).")
@click.option("--seed", type=int, default=None,
              help="Seed of training and of the held-out tenth [default: 13; with "
                   "--policy-only the model's own].")
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
@click.option("--policy-only", is_flag=True,
              help="Keep the model in --out as it is and only choose its decision policy "
                   "again on the held-out tenth (after the rules changed); needs no torch.")
@click.pass_context
def train_command(ctx: click.Context, annotations: str, out: str | None, epochs: int,
                  seed: int | None, mode: str, threads: int, lr: float, features: str,
                  layers: int, policy_only: bool) -> None:
    """Train the classifier of the hybrid coder (needs the train extra: torch).

    Seeded; the held-out tenth of the training annotations chooses the decision
    policy; validation annotations are never read.  Writes encoder.onnx, head.npz,
    tokenizer.json and meta.json.

    Example:
        pip install -e '.[train]' && foreshock train --annotations annotations/train.jsonl
        foreshock train --policy-only
    """
    from foreshock.pipeline import load_context
    from foreshock.train.finetune import TrainConfig
    from foreshock.train.run import rechoose_policy, run_training

    context = load_context(settings_of(ctx, coder="rules"))
    if policy_only:
        rechoose_policy(Path(annotations), Path(out) if out else default_model_dir(), context,
                        seed, log=lambda line: click.echo(line, err=True))
        return
    run_training(Path(annotations), Path(out) if out else default_model_dir(), context,
                 TrainConfig(epochs=epochs, seed=13 if seed is None else seed, mode=mode,
                             threads=threads, lr_encoder=lr, features=features,
                             layers=layers),
                 log=lambda line: click.echo(line, err=True))


COMMANDS = (train_command,)
