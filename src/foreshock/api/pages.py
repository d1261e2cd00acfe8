"""The dashboard page, plotly.js from the installed package, and an offline API docs page
(FastAPI's own loads from a CDN)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import html
import importlib.util
import json
import re
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


def markdown(text: str) -> str:
    """The little Markdown the API's docstrings use, as HTML: paragraphs, `code`, *em* and
    **strong**; everything else escaped."""
    return "".join(f"<p>{inline(' '.join(line.strip() for line in block.splitlines()))}</p>"
                   for block in re.split(r"\n\s*\n", text.strip()))


def inline(text: str) -> str:
    """One line of that Markdown as HTML (escaped first)."""
    out = html.escape(text)
    out = re.sub(r"``?([^`]+)``?", r"<code>\1</code>", out)
    out = re.sub(r"\*\*([^*]+)\*\*", r"<strong>\1</strong>", out)
    return re.sub(r"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])", r"<em>\1</em>", out)


def _ref(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return ref.rsplit("/", 1)[-1]
    items = schema.get("items")
    if isinstance(items, dict):
        inner = _ref(items)
        return f"{inner}" if inner else None
    return None


def _schema_text(schema: dict[str, Any]) -> str:
    name = _ref(schema)
    if name:
        return f"list of {name}" if schema.get("type") == "array" else name
    text = str(schema.get("type", ""))
    if "anyOf" in schema:
        text = " or ".join(_schema_text(s) for s in schema["anyOf"])
    if "enum" in schema:
        text += " one of " + ", ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        text += f" {schema['const']}"
    for key in ("minimum", "maximum", "maxLength", "pattern", "format", "default"):
        if key in schema:
            text += f" {key} {schema[key]}"
    return text.strip()


def example_value(p: dict[str, Any]) -> str | None:
    """A parameter's example, default or first allowed value (None: leave it out)."""
    schema = p.get("schema", {})
    if p.get("examples"):
        found = p["examples"]
        value = next(iter(found.values()))["value"] if isinstance(found, dict) else found[0]
        return str(value)
    if schema.get("examples"):
        return str(schema["examples"][0])
    if p.get("required"):
        return {"story_id": "demo-020", "article_id": "demo-020",
                "alert_id": "cc6b1b4531d15aa2441d"}.get(str(p.get("name")), "…")
    return None


def example_url(path: str, params: list[dict[str, Any]]) -> str:
    url = path
    query = []
    for p in params:
        value = example_value(p)
        if value is None:
            continue
        if p.get("in") == "path":
            url = url.replace("{" + str(p["name"]) + "}", value)
        elif p.get("in") == "query":
            query.append(f"{p['name']}={value}")
    return url + ("?" + "&".join(query) if query else "")


def _fields_table(name: str, components: dict[str, Any], e: Any) -> str:
    schema = components.get(name, {})
    rows = []
    for field, prop in schema.get("properties", {}).items():
        required = field in schema.get("required", ())
        rows.append(f"<tr><td><code>{e(field)}</code>{'' if required else ' (optional)'}</td>"
                    f"<td>{e(_schema_text(prop))}</td>"
                    f"<td>{inline(str(prop.get('description', '')))}</td></tr>")
    if not rows:
        return ""
    return (f"<details><summary><code>{e(name)}</code>: {len(rows)} fields</summary>"
            "<table><tr><th>field</th><th>type</th><th>meaning</th></tr>"
            + "".join(rows) + "</table></details>")


def docs_page(spec: dict[str, Any]) -> str:
    """A self-contained HTML page of an OpenAPI spec: every operation with its description,
    parameters, an example request (a link for GETs), its request and response schemas."""
    e = html.escape
    info = spec.get("info", {})
    components = spec.get("components", {}).get("schemas", {})
    operations = [(path, method, op) for path, ops in spec.get("paths", {}).items()
                  for method, op in ops.items()]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>{e(str(info.get('title', 'API')))} API</title>",
        "<link rel='icon' href='data:,'><link rel='stylesheet' href='/static/dashboard.css'>"
        "</head><body class='docs'>",
        f"<h1>{e(str(info.get('title', 'API')))} API {e(str(info.get('version', '')))}</h1>",
        f"<div class='desc'>{markdown(str(info.get('description', '')))}</div>",
        "<p>Machine-readable spec: <a href='/openapi.json'>/openapi.json</a> "
        "(OpenAPI " + e(str(spec.get("openapi", ""))) + "). Dashboard: <a href='/'>/</a>. "
        "The examples' ids are those of the demo database (<code>foreshock demo</code>)."
        "</p><nav class='toc'><ul>",
    ]
    for path, method, _ in operations:
        anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
        parts.append(f"<li><a href='#{e(anchor)}'><code>{e(method.upper())} {e(path)}</code>"
                     f"</a></li>")
    parts.append("</ul></nav>")
    for path, method, op in operations:
        anchor = f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
        parts.append(f"<section class='op' id='{e(anchor)}'><h2><code>{e(method.upper())} "
                     f"{e(path)}</code></h2><p><strong>{e(str(op.get('summary', '')))}"
                     "</strong></p>")
        if op.get("description"):
            parts.append(f"<div class='desc'>{markdown(str(op['description']))}</div>")
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
                             f"<td>{inline(str(p.get('description', '')))}</td></tr>")
            parts.append("</table>")
        url = example_url(path, params)
        if method == "get":
            parts.append(f"<p>Example: <a class='example' href='{e(url)}'><code>GET {e(url)}"
                         "</code></a></p>")
        body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
        if body:
            name = _ref(body.get("schema", {})) or ""
            model: dict[str, Any] = components.get(name, {})
            example: Any = (model.get("examples") or [None])[0]
            if example is None:
                example = {k: (v.get("examples") or ["…"])[0]
                           for k, v in model.get("properties", {}).items()
                           if k in model.get("required", ())}
            parts.append("<p>Example:</p><pre class='example'>" + e(
                f"curl -X {method.upper()} -H 'Content-Type: application/json' "
                "-H 'Authorization: Bearer TOKEN' \\\n"
                f"     -d '{json.dumps(example)}' 127.0.0.1:8000{url}") + "</pre>")
            parts.append("<p>Request body:</p>" + _fields_table(name, components, e))
        for code, response in op.get("responses", {}).items():
            content = response.get("content", {})
            first: dict[str, Any] = next(iter(content.values()), {})
            schema = first.get("schema", {})
            name = _ref(schema) or ""
            parts.append(f"<p>Response <strong>{e(str(code))}</strong>: "
                         f"{e(str(response.get('description', '')))}"
                         + (f" (<code>{e(_schema_text(schema))}</code>)" if name else "")
                         + "</p>")
            if name and str(code).startswith("2"):
                parts.append(_fields_table(name, components, e))
        parts.append("</section>")
    parts.append("</body></html>")
    return "".join(parts)
