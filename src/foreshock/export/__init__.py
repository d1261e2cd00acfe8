"""Exports of stored events: GDELT 2.0 event rows, PLOVER JSON Lines, Parquet, CSV."""

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

__all__ = ["FORMATS", "MODALITIES", "ExportFilter", "ExportResult", "export_events",
           "gdelt_columns", "global_event_id", "plover_type"]
