"""The hidden temporary files OmniPOS writes beside an export or a backup, and sweeping up
those an interrupted run left behind.

An export is written to ``.<name>.<random>`` (a backup to ``.<name>.partial``, with SQLite's
``-wal``/``-shm`` beside it) in the target's folder and renamed into place when complete, so
a half-written file never carries the real name. A run that is killed (kill -9, power cut)
cannot remove its temporary file; a big SAF-T export leaves tens of megabytes. So the writer
holds an exclusive ``flock`` on its temporary file while it writes (:func:`hold`), and the
next run for the same target removes every such file whose lock nobody holds any more
(:func:`sweep_stale`): a file another export is writing right now is locked and left alone.
No clock is involved.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

__all__ = ["hold", "sweep_stale"]

_SIDECARS = ("-wal", "-shm", "-journal")


def hold(fd: int) -> None:
    """Mark the open temporary file ``fd`` as being written (until it is closed)."""
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


def sweep_stale(target: Path, *, prefix: str | None = None) -> list[Path]:
    """Remove the temporary files of ``target`` (``.<name>.*`` beside it; or, with
    ``prefix``, every file in the folder ``target`` whose name starts with it) that no
    running writer holds, with their SQLite sidecars; the paths removed, sorted.

    Files that cannot be opened or removed (another user's) are left as they are.
    """
    folder = target if prefix is not None else target.parent
    prefix = prefix if prefix is not None else f".{target.name}."
    try:
        candidates = sorted(p for p in folder.iterdir() if p.name.startswith(prefix))
    except OSError:
        return []
    removed: list[Path] = []
    for path in candidates:
        if path.name.endswith(_SIDECARS) or not path.is_file():
            continue
        if _unheld(path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    for path in candidates:  # sidecars whose file is gone (removed now, or before)
        base = next((path.name[: -len(s)] for s in _SIDECARS if path.name.endswith(s)), None)
        if base is not None and not (folder / base).exists():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return sorted(removed)


def _unheld(path: Path) -> bool:
    """Whether nobody holds ``path``'s lock (its writer is gone)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    else:
        return True
    finally:
        os.close(fd)
