"""Real small disks for tests: a tmpfs of a given size, and read-only folders, where this machine
allows mounting one (root); elsewhere the tests that need them are skipped with the reason.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True, check=False)


def _unmount(where: Path) -> None:
    if subprocess.run(["umount", str(where)], capture_output=True, check=False).returncode:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


@contextmanager
def small_disk(where: Path, size_kb: int):
    """A folder that is a disk of size_kb kilobytes, unmounted afterwards."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small disk needs root")
    where.mkdir(parents=True, exist_ok=True)
    result = _mount("-t", "tmpfs", "-o", f"size={size_kb}k,mode=0755", "tmpfs", str(where))
    if result.returncode:
        pytest.skip(f"a small disk cannot be mounted here: {result.stderr.strip()}")
    try:
        yield where
    finally:
        _unmount(where)


def fill(where: Path, leave_bytes: int = 0) -> None:
    """Take up the disk's free room but leave_bytes with a file of its own."""
    vfs = os.statvfs(where)
    room = vfs.f_bfree * vfs.f_frsize - leave_bytes
    with open(where / "filler", "ab", buffering=0) as fh:  # unbuffered: a write that finds no room fails here
        try:
            while room > 0:
                fh.write(b"\0" * min(room, 4096))
                room -= 4096
        except OSError:  # the disk is full a little sooner than its count of free blocks said
            pass


def make_read_only(where: Path) -> None:
    """Make a small disk read-only for everyone, root included (as a read-only share would be)."""
    result = _mount("-o", "remount,ro", str(where))
    if result.returncode:
        pytest.skip(f"a disk cannot be made read-only here: {result.stderr.strip()}")
