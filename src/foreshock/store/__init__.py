"""DuckDB storage: schema, bulk loaders (Arrow), named queries."""

from typing import Any

import duckdb


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
              ) -> tuple[Any, ...] | None:
    """First row of a query, with the result fully consumed.

    DuckDB 2 refuses further work on a connection while a result is unfinished, and
    ``fetchone`` leaves it so; ``fetchall`` on a one-row query does not.
    """
    rows = con.execute(sql, params or []).fetchall()
    return tuple(rows[0]) if rows else None
