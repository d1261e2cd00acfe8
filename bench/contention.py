"""Separate processes on one database: ``foreshock serve`` answering requests while
``foreshock ingest`` runs again and again.

    python bench/contention.py                 # 10 ingests under 5 requests/s

DuckDB lets one process write, or several read.  Before, an ingest failed on the first lock
conflict with the server's per-request readers (25-100% of attempts); now a writer waits
with backoff (``FORESHOCK_LOCK_WAIT``) and a request waits up to 2 s, then answers 503
with Retry-After.  This counts failed ingests, their wait, and the requests' statuses.
Live mode (``bench/live.py``) is the way to have no waiting at all.  Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path


def foreshock(*args: str) -> list[str]:
    return [sys.executable, "-m", "foreshock", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ingests", type=int, default=10)
    parser.add_argument("--rate", type=float, default=5.0)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    work = Path(tempfile.mkdtemp(prefix="foreshock-contention-"))
    db = work / "c.duckdb"
    subprocess.run(foreshock("ingest", "-", "--date", "2022-02-01", "--db", str(db)),
                   input=b"Russia attacked Ukraine.\n", env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(foreshock("serve", "--db", str(db), "--port", str(port)),
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api/health"
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            break
        except OSError:
            time.sleep(0.3)
    statuses: Counter[str] = Counter()
    done = threading.Event()

    def client() -> None:
        while not done.is_set():
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    statuses[str(response.status)] += 1
            except urllib.error.HTTPError as exc:
                statuses[str(exc.code)] += 1
            except OSError:
                statuses["error"] += 1
            done.wait(1 / args.rate)

    thread = threading.Thread(target=client)
    thread.start()
    failed, seconds = 0, []
    for number in range(args.ingests):
        source = work / f"in-{number}.jsonl"
        source.write_text("".join(json.dumps({"id": f"{number}-{i}", "date": "2022-02-01",
                                              "text": f"Report {i} on Russia and Ukraine."})
                                  + "\n" for i in range(500)))
        started = time.perf_counter()
        result = subprocess.run(foreshock("ingest", str(source), "--db", str(db)), env=env,
                                capture_output=True, text=True)
        seconds.append(time.perf_counter() - started)
        failed += result.returncode != 0
    done.set()
    thread.join()
    server.terminate()
    server.wait(30)
    print(f"# bench/contention.py --ingests {args.ingests} --rate {args.rate}")
    print(f"date {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    print(f"ingests: {args.ingests}, failed: {failed}, seconds each: median "
          f"{sorted(seconds)[len(seconds) // 2]:.1f}, max {max(seconds):.1f}")
    print(f"requests meanwhile: {dict(statuses)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
