"""Exports of stored events: GDELT 2.0 event rows, PLOVER JSON Lines, and the events in
our own column set (``EVENT_COLUMNS``) as Parquet, CSV or JSON Lines."""

from foreshock.export.columns import EVENT_COLUMNS, EVENT_SCHEMA, Column
from foreshock.export.formats import (
    FORMATS,
    MODALITIES,
    ExportFilter,
    ExportResult,
    export_events,
    gdelt_columns,
    global_event_id,
    plover_type,
)
from foreshock.export.writers import read_events

__all__ = ["EVENT_COLUMNS", "EVENT_SCHEMA", "FORMATS", "MODALITIES", "Column", "ExportFilter",
           "ExportResult", "export_events", "gdelt_columns", "global_event_id", "plover_type",
           "read_events"]
