"""Crash-safe file operations: atomic replace with a kept backup, and keeping files aside.

A reader (or a tutor started after a crash) always finds either the old file or the new one,
complete: the new bytes go to a temporary file in the same folder, are flushed and fsynced,
and only then renamed over the old name with `os.replace`, which is atomic on POSIX and on
Windows. The folder is fsynced too, so the rename itself survives a power cut.
"""

from __future__ import annotations

import os
import secrets
import shutil
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


def _link_or_copy(src: Path, dst: Path) -> None:
    """Make `dst` (which must not exist) hold what `src` holds now."""
    try:
        os.link(src, dst)  # cheap: no bytes copied, and src is never modified in place
    except OSError:
        shutil.copyfile(src, dst)  # filesystems without hard links


def atomic_write(path: Path, data: bytes, *, backup: Path | None = None) -> None:
    """Replace `path` with `data` atomically; if `backup` is given and `path` exists, the old
    file becomes `backup` first (atomically too). Only pass `backup` when the old file is good."""
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = tmp_path(path)
    try:
        write_durably(tmp, data)
        if backup is not None and path.exists():
            bak_tmp = tmp_path(backup)
            _link_or_copy(path, bak_tmp)
            os.replace(bak_tmp, backup)
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    fsync_dir(folder)


def stale_temporaries(path: Path) -> list[Path]:
    """Temporary files a killed writer left next to `path` (or its backup). Only call while
    holding the profile lock: then no live writer can own one."""
    prefix = path.name
    return sorted(p for p in path.parent.glob(f"{prefix}*{TMP_MARK}*") if p.name.startswith(prefix))


def stamp(moment: datetime | None = None) -> str:
    return (moment or datetime.now(timezone.utc)).strftime("%Y%m%dT%H%M%SZ")


def keep_aside(path: Path, prefix: str) -> Path:
    """Keep a copy of `path` as `<prefix>-<time>` in its folder, without removing it, so the name
    can then be replaced atomically with no moment where it is missing. Returns the new name."""
    base = f"{prefix}-{stamp()}"
    target = path.with_name(base)
    n = 2
    while target.exists():
        target = path.with_name(f"{base}-{n}")
        n += 1
    _link_or_copy(path, target)
    fsync_dir(path.parent)
    return target


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
