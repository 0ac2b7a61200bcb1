"""The moving parts around the tills of ``./scripts/bench tills``: ``omnipos worker`` as its
own process, the faults at set shares of the run (the proxy's line cut, the server
restarted, the worker killed), and a sampler of the sessions waiting for a lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
from bench_tills_server import PrivateServer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the TCP proxy the tests cut lines with
from fault_proxy import FaultProxy  # noqa: E402


class Worker:
    """``omnipos worker`` as its own process; killed and started again by the faults."""

    def __init__(self, data_dir: Path, url: str) -> None:
        self._argv = [
            str(ROOT / ".venv/bin/omnipos"),
            "--data-dir",
            str(data_dir),
            "worker",
            "--poll",
            "1",
        ]
        self._env = {**os.environ, "OMNIPOS_DB_URL": url}
        self.kills = 0
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self._process = subprocess.Popen(
            self._argv, env=self._env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self.kills += 1

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
        self._process = None


class Faults(threading.Thread):
    """The outages, at set shares of the run."""

    def __init__(
        self,
        server: PrivateServer,
        proxy: FaultProxy,
        worker: Worker,
        seconds: float,
        *,
        plan: str,
    ) -> None:
        """``plan``: "none", "short" (a kill, a cut, a fast restart) or "long" (two kills,
        three cuts, a fast and an immediate restart)."""
        super().__init__(daemon=True)
        self.server, self.proxy, self.worker, self.seconds = server, proxy, worker, seconds
        self.log: list[str] = []
        self.away: list[float] = []
        if plan == "short":
            self.plan = [(0.2, "kill"), (0.35, "cut"), (0.55, "fast")]
        else:
            self.plan = [
                (0.12, "kill"),
                (0.2, "cut"),
                (0.33, "fast"),
                (0.5, "kill"),
                (0.62, "cut"),
                (0.75, "immediate"),
                (0.88, "cut"),
            ]
        if plan == "none":
            self.plan = []
        self.start()

    def run(self) -> None:
        began = time.monotonic()
        for share, what in self.plan:
            time.sleep(max(0.0, began + share * self.seconds - time.monotonic()))
            at = time.monotonic() - began
            if what == "kill":
                self.worker.kill()
                time.sleep(2)
                self.worker.start()
                self.log.append(f"{at:6.1f} s worker killed (SIGKILL), started again 2 s later")
            elif what == "cut":
                self.proxy.cut()
                time.sleep(5)
                self.proxy.restore()
                self.away.append(5.0)
                self.log.append(f"{at:6.1f} s line to the even tills cut for 5 s")
            else:
                away = self.server.restart(what)
                self.away.append(away)
                self.log.append(f"{at:6.1f} s server restarted ({what}), away {away:.1f} s")


class LockSampler(threading.Thread):
    """Once a second: how many sessions wait for a lock (errors while the server is away
    are skipped)."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self._url = url
        self._stopping = threading.Event()
        self.samples: list[int] = []
        self.start()

    def run(self) -> None:
        raw = None
        while not self._stopping.wait(1.0):
            try:
                if raw is None or raw.closed:
                    raw = psycopg2.connect(self._url, connect_timeout=2)
                    raw.autocommit = True
                cur = raw.cursor()
                cur.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
                self.samples.append(int(cur.fetchone()[0]))
            except psycopg2.Error:
                raw = None
        if raw is not None:
            raw.close()

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)
