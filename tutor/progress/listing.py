"""`tutor profiles`: every profile with a save in a folder, and its state, read-only.

A profile is listed whenever the tutor would find something to open: its database, a JSON save
not yet migrated, or only a backup (state "missing": the save is gone, the backup can restore
it). So this list, `tutor progress` and `tutor check` always agree on what is there.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from tutor.progress.backups import describe, describe_database
from tutor.progress.errors import FutureVersionError, ProfileNameError, SchemaError
from tutor.progress.store import PROFILE_SUFFIXES, ProgressStore, validate_profile_name


@dataclass(frozen=True)
class ProfileInfo:
    name: str
    path: Path
    state: str  # "ok" | "corrupt" | "missing" | "future" | "unreadable"
    summary: str  # describe() of the profile, or what is wrong


def _profile_names(folder: Path) -> set[str]:
    names = set()
    for path in folder.iterdir():
        name = path.name.split(".", 1)[0]
        if path.name[len(name):] in PROFILE_SUFFIXES:
            try:
                names.add(validate_profile_name(name))
            except ProfileNameError:
                continue  # not one of ours
    return names


def _info(store: ProgressStore) -> ProfileInfo | None:
    found = store.find()
    if found.kind == "new":
        return None  # only an old JSON backup of a save migrated long ago
    if found.kind == "legacy":
        assert found.legacy is not None
        return ProfileInfo(store.name, store.paths.legacy, "ok", describe(found.legacy))
    if found.kind == "issue":
        issue = found.issue
        assert issue is not None
        summary = issue.what
        if issue.kind == "missing":
            summary += (
                f"; a backup is available ({issue.backup.summary}): `tutor recover --backup` restores it"
                if issue.can_recover and issue.backup is not None
                else "; its backup cannot be used either: `tutor recover --fresh` starts it over"
            )
        if issue.where:
            summary = f"{issue.where}: {summary}"
        return ProfileInfo(store.name, issue.path, issue.kind, summary)
    try:
        return ProfileInfo(store.name, store.path, "ok", describe_database(store.path))
    except FutureVersionError as exc:
        return ProfileInfo(store.name, store.path, "future", exc.what)
    except (SchemaError, sqlite3.DatabaseError) as exc:
        return ProfileInfo(store.name, store.path, "corrupt", str(exc))
    except OSError as exc:
        return ProfileInfo(store.name, store.path, "unreadable", f"cannot be read: {exc.strerror or exc}")


def list_profiles(save_dir: Path | str) -> list[ProfileInfo]:
    """Every profile with a save in the folder; nothing is migrated, repaired or created."""
    folder = Path(save_dir)
    if not folder.is_dir():
        return []
    found = (_info(ProgressStore(folder, name)) for name in sorted(_profile_names(folder)))
    return [info for info in found if info is not None]
