"""Who may read the files OmniPOS writes: the SQLite database (and its ``-wal``/``-shm``),
its backups and the exports.

They hold the PIN hashes, every sale and the customer register, so OmniPOS makes them for
the system user it runs as only (mode 0600), or for that user and one group (0640, the
file given to the group) when ``[security] file_group`` names one, e.g. a group of the
shop's bookkeepers. SQLite gives its ``-wal`` and ``-shm`` files the database file's mode
and group. ``omnipos doctor`` warns about a file that is looser (:func:`looser`).

Example::

    access = FileAccess(settings.security.file_group)
    access.create(path)        # a new, empty file with the mode (and group)
    access.apply(other_path)   # the mode (and group) on a file just written
"""

from __future__ import annotations

import grp
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from omnipos_tui.core.errors import ConfigError

__all__ = ["FileAccess", "loose_files", "looser"]


@dataclass(frozen=True, slots=True)
class FileAccess:
    """The mode and group of the files OmniPOS writes.

    Attributes:
        group: The system group that may read them too; "" for none.
    """

    group: str = ""

    @property
    def mode(self) -> int:
        """0600, or 0640 with a group."""
        return 0o640 if self.group else 0o600

    def gid(self) -> int | None:
        """The group's id (None without a group).

        Raises:
            ConfigError: There is no such group on this machine.
        """
        if not self.group:
            return None
        try:
            return grp.getgrnam(self.group).gr_gid
        except KeyError:
            raise ConfigError(
                f"security.file_group: there is no group {self.group!r} on this machine "
                "(create it with groupadd, or leave file_group empty)"
            ) from None

    def create(self, path: Path) -> None:
        """Create ``path`` empty with the mode and group; nothing when it exists.

        Raises:
            ConfigError: The group does not exist.
            OSError: The file cannot be created.
        """
        gid = self.gid()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.mode)
        except FileExistsError:
            return
        try:
            os.fchmod(fd, self.mode)  # whatever the umask took away or left
            if gid is not None:
                os.fchown(fd, -1, gid)
        finally:
            os.close(fd)

    def apply(self, path: Path) -> None:
        """Give an existing file the mode and group.

        Raises:
            ConfigError: The group does not exist.
            OSError: The file cannot be changed.
        """
        gid = self.gid()
        os.chmod(path, self.mode)
        if gid is not None:
            os.chown(path, -1, gid)


def looser(path: Path, access: FileAccess) -> str:
    """What is looser about ``path`` than ``access`` allows, e.g. "mode 0644 (others can
    read it)"; "" when nothing is (or the file is missing).

    Example::

        looser(Path("omnipos.sqlite3"), FileAccess())  # "mode 0644 (...)" or ""
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return ""
    extra = mode & ~access.mode & 0o777
    if not extra:
        return ""
    who = []
    if extra & 0o070:
        who.append(f"group {_group_name(path)}")
    if extra & 0o007:
        who.append("every user of this machine")
    if extra & 0o100:
        who.append("its owner (as a program)")
    return f"mode {mode:04o}: {' and '.join(who)} can read or change it"


def loose_files(folder: Path, access: FileAccess) -> list[tuple[Path, str]]:
    """Every file directly in ``folder`` (the data directory: the database, its -wal and
    -shm, backups kept there) looser than ``access`` allows, with what is looser."""
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return []
    return [(path, problem) for path in files if (problem := looser(path, access))]


def _group_name(path: Path) -> str:
    gid = path.stat().st_gid
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)
