"""A private PostgreSQL server for the multi-till load (``./scripts/bench tills``): a cluster
of its own in a temporary folder, on a free port of 127.0.0.1, made with the machine's own
PostgreSQL binaries (``initdb``/``pg_ctl``), so that restarting it mid-load disturbs no other
database on the shared server at 5432.

It logs lock waits longer than ``deadlock_timeout`` (200 ms) and every deadlock, which the
driver counts from its log. Run as root, the cluster belongs to the ``postgres`` user (the
server refuses to run as root).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

_SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{root}'
max_connections = 200
shared_buffers = 256MB
log_lock_waits = on
deadlock_timeout = 200ms
log_line_prefix = '%m [%p] '
log_min_messages = warning
log_min_error_statement = error
"""


def binaries() -> Path | None:
    """The folder of the newest installed ``initdb``/``pg_ctl``, or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class PrivateServer:
    """A PostgreSQL cluster of its own.

    Args:
        root: An empty folder to hold it (made if missing); None: a temporary one.
    """

    def __init__(self, root: Path | None = None) -> None:
        bindir = binaries()
        if bindir is None:
            raise RuntimeError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
        self._bin = bindir
        self.root = root or Path(tempfile.mkdtemp(prefix="omnipos-tills-pg-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        self.restarts = 0

    def url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server (the superuser, trust)."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        argv = [str(self._bin / command[0]), *command[1:]]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, check=check, capture_output=True, text=True)

    def start(self) -> PrivateServer:
        """Make the cluster (the first time) and start it; returns itself once it answers."""
        if not self.data.exists():
            if self._as_postgres:
                shutil.chown(self.root, "postgres", "postgres")
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
            with (self.data / "postgresql.conf").open("a") as conf:
                conf.write(_SETTINGS.format(port=self.port, root=self.root))
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")
        self._wait()
        return self

    def restart(self, mode: str = "fast") -> float:
        """Stop (``fast``: sessions are ended, ``immediate``: as a crash, recovery at start)
        and start again; returns the seconds it was away."""
        started = time.perf_counter()
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "start")
        self._wait()
        self.restarts += 1
        return time.perf_counter() - started

    def stop(self) -> None:
        """Stop it and remove its folder."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log_text(self) -> str:
        """The server's log so far."""
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def _wait(self) -> None:
        for _ in range(300):
            done = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False)
            if done.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"the private PostgreSQL server did not start; see {self.log}")
