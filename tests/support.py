"""Helpers shared by test packages: requiring real components honestly.

A test that needs a real component (bubblewrap, a service, Chromium) skips with the reason on
a machine without it, but under CI=true it fails instead: CI must run everything.
"""

from __future__ import annotations

import concurrent.futures
import os
import shutil
import tomllib
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TypeVar

import pytest

T = TypeVar("T")


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_bwrap() -> None:
    if shutil.which("bwrap") is None and not os.access("/usr/bin/bwrap", os.X_OK):
        missing("bubblewrap is not installed: apt-get install -y bubblewrap")


def run_async_in_fresh_thread(main: Callable[[], Awaitable[T]]) -> T:
    """anyio.run(main) on a new thread, which owns no event loop yet: an earlier test in the
    same process (a browser driver) may have left a loop running on the main thread."""
    import anyio

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(anyio.run, main).result()


def with_followups(slugs: Iterable[str], bank: Path) -> list[str]:
    """`slugs` and every question their follow-ups lead to, for copying part of a bank: a bank
    with a question but not its follow-ups is refused when it is loaded."""
    chosen: list[str] = []
    todo = list(slugs)
    while todo:
        slug = todo.pop(0)
        spec_file = bank / slug / "question.toml"
        if slug in chosen or not spec_file.is_file():
            continue
        chosen.append(slug)
        todo += [f["question"] for f in tomllib.loads(spec_file.read_text()).get("followups", [])]
    return chosen
