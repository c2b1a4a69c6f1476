"""Helpers shared by test packages: requiring real components honestly.

A test that needs a real component (bubblewrap, a service, Chromium) skips with the reason on
a machine without it, but under CI=true it fails instead: CI must run everything.
"""

from __future__ import annotations

import os
import shutil

import pytest


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_bwrap() -> None:
    if shutil.which("bwrap") is None and not os.access("/usr/bin/bwrap", os.X_OK):
        missing("bubblewrap is not installed: apt-get install -y bubblewrap")
