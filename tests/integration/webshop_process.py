"""A shop wired to a running web shop the way an owner runs it: ``config.toml`` and a 0600
``secrets.toml`` in the data directory, and ``omnipos worker`` as a process of its own
(started, killed with SIGKILL, stopped with SIGTERM). Used by the crash test and by
``scripts/bench webshop``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def write_config(
    data: Path,
    *,
    url: str,
    user: str,
    password: str,
    buffer: int = 0,
    poll_seconds: int = 1,
) -> Path:
    """``config.toml`` (SQLite in ``data``, the Oscar shop at ``url``) and the secrets file;
    returns the configuration's path."""
    config = data / "config.toml"
    config.write_text(
        f'[paths]\ndata_dir = "{data}"\n[shop]\nregister_id = "1"\n'
        f'[webshop]\nkind = "oscar"\nurl = "{url}"\nbuffer = {buffer}\n'
        f"poll_seconds = {poll_seconds}\n",
        encoding="utf-8",
    )
    secrets = data / "secrets.toml"
    secrets.write_text(
        f'[webshop]\nusername = "{user}"\npassword = "{password}"\n', encoding="utf-8"
    )
    secrets.chmod(0o600)
    return config


def omnipos() -> str:
    """The ``omnipos`` command of this environment."""
    found = Path(sys.executable).parent / "omnipos"
    return str(found if found.exists() else ROOT / ".venv" / "bin" / "omnipos")


class WorkerProcess:
    """``omnipos worker`` as its own process, its output appended to ``log``."""

    def __init__(
        self, config: Path, log: Path, *, poll: float = 0.2, nice: int | None = None
    ) -> None:
        self._command = [omnipos(), "--config", str(config), "worker", "--poll", str(poll)]
        if nice is not None:
            self._command += ["--nice", str(nice)]
        self._log_path = log
        self._log: IO[str] | None = None
        self._process: subprocess.Popen[str] | None = None
        self.starts = 0
        self.kills = 0

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def start(self) -> None:
        """Start the worker (it must not be running)."""
        assert not self.running
        self._log = self._log_path.open("a", encoding="utf-8")
        self._log.write(f"--- start {self.starts + 1}\n")
        self._log.flush()
        self._process = subprocess.Popen(
            self._command, stdout=self._log, stderr=subprocess.STDOUT, text=True
        )
        self.starts += 1

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a power cut or the OOM killer."""
        assert self._process is not None
        os.kill(self._process.pid, signal.SIGKILL)
        self._process.wait(30)
        self.kills += 1
        self._closed()

    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code."""
        if self._process is None:
            return 0
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(60)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(30)
        code = self._process.returncode
        self._closed()
        return code

    def _closed(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def output(self) -> str:
        """What every run of the worker wrote."""
        return self._log_path.read_text(encoding="utf-8") if self._log_path.exists() else ""
