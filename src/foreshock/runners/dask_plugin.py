"""The Dask worker plugin (its own module, so ``distributed`` is imported only when used)."""

from __future__ import annotations

from typing import Any

from distributed import WorkerPlugin

from foreshock.pipeline import Context, load_context
from foreshock.settings import Settings


class ContextPlugin(WorkerPlugin):
    """Loads the coding context (spaCy model, dictionaries) once per worker process."""

    name = "foreshock-context"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.context: Context | None = None

    def setup(self, worker: Any) -> None:
        self.context = load_context(self.settings)

    def teardown(self, worker: Any) -> None:
        self.context = None
