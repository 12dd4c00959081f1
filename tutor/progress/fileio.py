"""Crash-safe file operations: atomic replace, fsync, and keeping files aside.

A reader always finds either the old file or the new one, complete: the new bytes go to a
temporary file in the same folder, are flushed and fsynced, and only then renamed over the old
name with `os.replace`, which is atomic on POSIX and on Windows. The folder is fsynced too, so
the rename itself survives a power cut. (The save database does its own crash safety; these
serve exports and backups, and keeping bad files aside.)
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime, timezone
from pathlib import Path

TMP_MARK = ".tmp-"


def tmp_path(path: Path) -> Path:
    # Same folder as the target: os.replace is only atomic within one filesystem.
    return path.with_name(f"{path.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def fsync_dir(folder: Path) -> None:
    """Make renames and creations in `folder` durable. Not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Write a new file (it must not exist) and fsync it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: Path, path: Path) -> None:
    """Rename a complete, fsynced temporary file over `path`, durably."""
    os.replace(tmp, path)
    fsync_dir(path.parent)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    try:
        write_durably(tmp, data)
        replace_durably(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary files a killed writer left for `path`. Only call while holding the profile
    lock: then no live writer can own one."""
    prefix = path.name
    return sorted(p for p in path.parent.glob(f"{prefix}*{TMP_MARK}*") if p.name.startswith(prefix))


def stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def move_aside(path: Path, prefix: str, sidecars: tuple[str, ...] = ()) -> Path:
    """Rename `path` to `<prefix>-<time>` in its folder, with its sidecar files (`path` + suffix,
    such as an SQLite database's -wal and -shm) renamed to match, so the copy kept aside stays
    whole. Call under the profile lock. Returns the new name."""
    base = f"{prefix}-{stamp()}"
    target = path.with_name(base)
    n = 2
    while target.exists():
        target = path.with_name(f"{base}-{n}")
        n += 1
    for suffix in sidecars:
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(path, target)
    fsync_dir(path.parent)
    return target
