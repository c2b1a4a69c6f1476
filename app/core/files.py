"""Files that hold accounts, tokens' digests and candidates' code are private to the app's user."""

from __future__ import annotations

import os
from pathlib import Path


def private_file(path: Path) -> None:
    """Create `path` readable by this user only (0600), or tighten it if it exists.

    SQLite gives its -wal and -shm files the main file's permissions, so doing this before the
    first connection covers them too.

    An existing file is never opened: closing any descriptor of a file drops every POSIX lock
    this process holds on it, so opening the database that another connection of this process
    has open would silently release SQLite's locks and let two writers corrupt its journal.
    """
    if not path.parent.is_dir():
        return  # nothing to protect yet; whoever opens it reports the missing directory
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600))
    except FileExistsError:
        if path.stat().st_uid == os.getuid():
            path.chmod(0o600)
