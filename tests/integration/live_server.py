"""Shared by the browser and schemathesis tests: a demo database and a live server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from click.testing import CliRunner

from foreshock.cli.main import cli


def build_demo_database(db: Path) -> Path:
    """The bundled demo, coded, with stories and alerts computed."""
    for args in (["demo", "--db", str(db)], ["alerts", "--db", str(db), "--format", "json"]):
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    return db


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """uvicorn in a thread on a loopback socket bound here (no port race); yields its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    srv = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        srv.should_exit = True
        thread.join(10)
        sock.close()
