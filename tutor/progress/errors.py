"""What can go wrong with a save file, as exceptions and plain data the UI can show.

Every exception here derives from `ProgressError`, so a caller that must never crash (the UI)
can catch that one class around any store call and show `str(exc)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ProgressError(Exception):
    """Base class: anything the progress package refuses or cannot do."""


class ProfileNameError(ProgressError, ValueError):
    """A profile name that is not a safe file name."""


class SchemaError(ProgressError):
    """Save data that does not match the schema.

    `where` names the place: a field path such as `exercises['chain-rule/e1'].attempts[3].status`,
    or `line 3, column 5` for text that is not JSON at all.
    """

    def __init__(self, where: str, what: str) -> None:
        self.where = where
        self.what = what
        super().__init__(f"{where}: {what}" if where else what)


class FutureVersionError(SchemaError):
    """Written by a newer tutor: this one must not read it as its own, nor overwrite it."""

    def __init__(self, version: int, supported: int) -> None:
        self.version = version
        self.supported = supported
        super().__init__(
            "schema_version",
            f"save file was written by a newer tutor (schema {version}; this one reads up to {supported})",
        )


class SaveFileError(ProgressError):
    """A save file that cannot be used, with where it is and, once moved aside, where it went."""

    def __init__(self, path: Path, what: str, where: str = "", moved_to: Path | None = None) -> None:
        self.path = path
        self.what = what
        self.where = where
        self.moved_to = moved_to
        place = f"{path}: {where}" if where else str(path)
        text = f"{place}: {what}"
        if moved_to is not None:
            text += f" (the file was kept as {moved_to})"
        super().__init__(text)


class ReadOnlyProfile(ProgressError):
    """A mutation on a store that cannot write (a load problem not yet resolved, or a newer file)."""


class ProfileBusy(ProgressError):
    """Another process held the profile lock for longer than the timeout."""

    def __init__(self, lock_path: Path, holder: str, timeout: float) -> None:
        self.lock_path = lock_path
        self.holder = holder
        who = holder or "another tutor process"
        super().__init__(
            f"the profile is locked by {who} and was not released within {timeout:g} s "
            f"(lock file {lock_path}); close that tutor, or wait and try again"
        )


@dataclass(frozen=True)
class BackupInfo:
    """A backup, as offered when the save cannot be used. `summary` says when it was saved:
    a backup is a copy from some moment, never silently the latest state."""

    path: Path
    usable: bool
    summary: str  # "12 solved, 57 attempts, saved 2026-11-21 10:04 UTC" or why it is not usable


@dataclass(frozen=True)
class LoadIssue:
    """Why a profile opened without its saved progress, for the UI to show and act on.

    kind: "corrupt" (not a database, damaged, or a JSON save with wrong shape or values),
    "missing" (the save is gone but a backup exists), "future" (written by a newer tutor) or
    "unreadable" (the OS refuses to read or create it: permissions). The last two are read-only
    for good: the file is never touched.
    """

    kind: str
    path: Path
    what: str
    where: str = ""
    backup: BackupInfo | None = None

    @property
    def can_recover(self) -> bool:
        return self.can_start_fresh and self.backup is not None and self.backup.usable

    @property
    def can_start_fresh(self) -> bool:
        return self.kind in ("corrupt", "missing")

    @property
    def message(self) -> str:
        place = f"{self.path}: {self.where}" if self.where else str(self.path)
        lines = [f"{place}: {self.what}"]
        if not self.can_start_fresh:
            lines.append("Nothing will be saved, and the file is left untouched.")
        elif self.backup is None:
            lines.append("There is no backup. Starting fresh keeps the bad file aside, renamed.")
        elif self.backup.usable:
            lines.append(
                f"A backup is available ({self.backup.path}: {self.backup.summary}); "
                "anything recorded after it was taken is not in it."
            )
        else:
            lines.append(f"The backup {self.backup.path} cannot be used either: {self.backup.summary}.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.message
