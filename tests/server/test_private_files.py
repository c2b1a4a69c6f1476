"""Data files are private, and making them so never disturbs the database's own locks."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from app.core.files import private_file

TRY_TO_WRITE = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=0, isolation_level=None)
try:
    conn.execute("BEGIN IMMEDIATE")
except sqlite3.OperationalError as exc:
    print(exc)
else:
    print("got the write lock")
"""


def test_a_new_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "dojo.sqlite3"
    private_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_file_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "dojo.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    private_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_protecting_an_open_database_keeps_its_locks(tmp_path: Path) -> None:
    """Closing any descriptor of a file drops all of this process's POSIX locks on it; a
    second Database object for a file already open here must not let another writer in."""
    path = tmp_path / "dojo.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("CREATE TABLE t (x INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO t VALUES (1)")
    try:
        private_file(path)
        other = subprocess.run([sys.executable, "-c", TRY_TO_WRITE, str(path)],
                               capture_output=True, text=True, timeout=30, check=True)
        assert other.stdout.strip() == "database is locked"
    finally:
        writer.execute("ROLLBACK")
        writer.close()
