"""The dashboard page, plotly.js from the installed package, and an offline API docs page
(FastAPI's own loads from a CDN)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import importlib.util
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def plotly_js() -> Path | None:
    """plotly.min.js of the installed plotly package (found without importing plotly)."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "package_data" / "plotly.min.js"
    return path if path.is_file() else None


@functools.lru_cache(maxsize=2)
def _gzipped(path: Path) -> tuple[bytes, str]:
    """The file compressed once per process (4.8 MB of plotly.js becomes about 1.4 MB:
    the dashboard's first paint waits for this download), with an ETag."""
    data = path.read_bytes()
    return gzip.compress(data, compresslevel=6), hashlib.sha1(data).hexdigest()[:16]


def add_pages(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    vendor = plotly_js()

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(STATIC / "dashboard.html", headers={"Cache-Control": "no-cache"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly(request: Request) -> Response:
        if vendor is None:
            raise HTTPException(404, "plotly is not installed: pip install plotly")
        # the file only changes with the plotly package: let the browser keep it
        cache = {"Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if "gzip" not in request.headers.get("accept-encoding", ""):
            return FileResponse(vendor, media_type="text/javascript", headers=cache)
        body, etag = _gzipped(vendor)
        return Response(body, media_type="text/javascript",
                        headers={**cache, "Content-Encoding": "gzip", "ETag": f'"{etag}"'})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.openapi()))


def docs_page(spec: dict[str, Any]) -> str:
    """A self-contained HTML page listing the operations of an OpenAPI spec."""
    e = html.escape
    info = spec.get("info", {})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{e(str(info.get('title', 'API')))} API</title>",
        "<link rel='icon' href='data:,'><link rel='stylesheet' href='/static/dashboard.css'>"
        "</head><body class='docs'>",
        f"<h1>{e(str(info.get('title', 'API')))} API {e(str(info.get('version', '')))}</h1>",
        f"<p>{e(str(info.get('description', '')))}</p>",
        "<p>Machine-readable spec: <a href='/openapi.json'>/openapi.json</a> "
        "(OpenAPI " + e(str(spec.get("openapi", ""))) + "). Dashboard: <a href='/'>/</a>.</p>",
    ]
    for path, operations in spec.get("paths", {}).items():
        for method, op in operations.items():
            parts.append(f"<section class='op'><h2><code>{e(method.upper())} {e(path)}</code>"
                         f"</h2><p>{e(str(op.get('summary', '')))}</p>")
            if op.get("description"):
                parts.append(f"<pre class='desc'>{e(str(op['description']))}</pre>")
            params = op.get("parameters", [])
            if params:
                parts.append("<table><tr><th>parameter</th><th>in</th><th>type</th>"
                             "<th>description</th></tr>")
                for p in params:
                    schema = p.get("schema", {})
                    parts.append(f"<tr><td><code>{e(str(p.get('name')))}</code>"
                                 f"{' (required)' if p.get('required') else ''}</td>"
                                 f"<td>{e(str(p.get('in')))}</td>"
                                 f"<td>{e(_schema_text(schema))}</td>"
                                 f"<td>{e(str(p.get('description', '')))}</td></tr>")
                parts.append("</table>")
            if "requestBody" in op:
                parts.append("<p>Body: JSON, see the spec.</p>")
            parts.append("<p>Responses: " + ", ".join(
                e(str(code)) for code in op.get("responses", {})) + "</p></section>")
    parts.append("</body></html>")
    return "".join(parts)


def _schema_text(schema: dict[str, Any]) -> str:
    text = str(schema.get("type", ""))
    if "anyOf" in schema:
        text = " or ".join(_schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        text += " one of " + ", ".join(str(v) for v in schema["enum"])
    for key in ("minimum", "maximum", "pattern", "format", "default"):
        if key in schema:
            text += f" {key} {schema[key]}"
    return text.strip()
