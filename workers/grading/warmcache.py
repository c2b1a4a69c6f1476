"""A worker's shared JAX compile cache: generic programs compiled ahead for public shapes.

An un-jitted JAX answer compiles every eager op for every new shape, about 30 ms an op on a
CPU: most of a warm `run` grade. JAX's persistent compilation cache serves those ops from
disk when the same program was compiled before, whichever code asked for it. This module
owns one cache directory per hardware and remembers which array signatures (shape, dtype) it
holds programs for; the judge reports the visible examples' signatures after a JAX grade
(`want`), and the runner pool's background thread runs our own warm-up program
(harness/jax_warmup.py) for what is `pending`.

Who may write: only the warm-up runner, which runs nothing but that fixed program, gets the
entries directory bound writable; submission runners get it read-only. Question code
(references, cases.py, bank solutions) never runs there, so the cache holds nothing that could
reveal it to a candidate who reads the directory. The worker itself never opens a file inside
the entries directory (the sandbox uid owns it); its record of what was warmed lives beside
it, out of every sandbox's reach.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import logging
import os
import re
import secrets
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .harness.jax_warmup import MAX_SIGNATURES, MAX_TOTAL_ELEMENTS, Signature, WarmupError, parse_signature

log = logging.getLogger(__name__)

INDEX_NAME = "warmed.json"
ENTRIES_NAME = "entries"
MAX_PENDING = 64  # signatures waiting per kind of runner; more are dropped until some are done
MAX_RECENT = 64  # recently wanted signatures remembered per kind of runner


class WarmKey(Protocol):
    """What decides the programs a runner compiles (a PoolKey): its framework and the XLA
    settings its environment gets. Limits do not change a program, only where it runs."""

    @property
    def framework(self) -> str: ...

    @property
    def allow_tf32(self) -> bool: ...

    @property
    def host_devices(self) -> int: ...


def variant(key: WarmKey) -> str:
    return f"{key.framework}:devices={key.host_devices}:tf32={int(key.allow_tf32)}"


def safe_label(label: str) -> str:
    """A hardware label ("gpu /dev/nvidia0") as one directory name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", label).strip("-.") or "default"


def jax_runtime() -> str:
    """The JAX build the runners compile with: a cached program is only valid for that one."""
    found = []
    for dist in ("jax", "jaxlib"):
        try:
            found.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{dist} missing")
    return ", ".join(found)


def signatures_of(tree: Any) -> list[Signature]:
    """The array signatures in a call's arguments (nested tuples, lists and dicts), each once,
    leaving out those the warm-up would refuse. A float64 input becomes float32 in a JAX runner
    (64-bit mode is off), so that is the program it compiles."""
    found: dict[Signature, None] = {}
    for leaf in _array_leaves(tree):
        dtype = "float32" if leaf.dtype == np.float64 else str(leaf.dtype)
        try:
            found[parse_signature({"shape": list(leaf.shape), "dtype": dtype})] = None
        except WarmupError:
            continue
    return list(found)


def _array_leaves(tree: Any) -> Iterable[np.ndarray | np.generic]:
    if isinstance(tree, np.ndarray | np.generic):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from _array_leaves(value)
    elif isinstance(tree, list | tuple):
        for value in tree:
            yield from _array_leaves(value)


def to_wire(signatures: Iterable[Signature]) -> list[dict[str, Any]]:
    return [{"shape": list(shape), "dtype": dtype} for shape, dtype in signatures]


class WarmCache:
    """One hardware's cache directory: `entries/` (what JAX reads, bound into sandboxes) and
    `warmed.json` (which signatures have been warmed, for each kind of runner and JAX build)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(os.path.abspath(directory))
        self.entries = self.directory / ENTRIES_NAME
        self.index = self.directory / INDEX_NAME
        self.runtime = jax_runtime()
        # Called (without this object's lock held) when a signature becomes pending: the pool
        # wakes its background thread.
        self.listener: Callable[[], None] | None = None
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)  # notified when a job is done or failed
        self._warmed: dict[str, set[Signature]] = {}
        self._index_mtime_ns: int | None = None
        self._pending: dict[WarmKey, dict[Signature, None]] = {}
        self._failed: set[tuple[str, Signature]] = set()
        self._recent: dict[str, OrderedDict[Signature, None]] = {}  # most recently wanted last

    @classmethod
    def for_hardware(cls, data_dir: Path, hardware_label: str) -> WarmCache:
        return cls(Path(data_dir) / "jax-cache" / safe_label(hardware_label))

    def readable_dir(self) -> Path | None:
        """The entries directory for runners to read; None until a warm-up has made it."""
        return self.entries if self.entries.is_dir() else None

    def prepare(self, owner: tuple[int, int] | None) -> Path:
        """Make the entries directory, writable by `owner` (the sandbox's host uid and gid,
        when the sandbox runs as another user than this process) and readable by all."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.entries, 0o755)
        info = os.lstat(self.entries)
        if not stat.S_ISDIR(info.st_mode):  # our own directory holds it: only a mistake gets here
            raise OSError(f"{self.entries} is not a directory")
        if owner is not None and (info.st_uid, info.st_gid) != owner:
            os.chown(self.entries, *owner, follow_symlinks=False)
        os.chmod(self.entries, 0o755)
        return self.entries

    # -- what the judge reports, what the pool runs ------------------------------------

    def want(self, key: WarmKey, signatures: Iterable[Signature]) -> int:
        """Ask for `signatures` to be warmed for runners of `key`; returns how many are new."""
        added = 0
        with self._lock:
            self._refresh()
            name, waiting = variant(key), self._pending.setdefault(key, {})
            recent = self._recent.setdefault(name, OrderedDict())
            for signature in signatures:
                recent[signature] = None
                recent.move_to_end(signature)
                while len(recent) > MAX_RECENT:
                    recent.popitem(last=False)
                if self._known(name, signature) or signature in waiting or len(waiting) >= MAX_PENDING:
                    continue
                waiting[signature] = None
                added += 1
        if added and self.listener is not None:
            self.listener()
        return added

    def recent_warmed(self, key: WarmKey, limit: int) -> list[Signature]:
        """Up to `limit` signatures whose programs are in the cache, most recently wanted
        first: what a new pooled runner of `key` loads into memory before it is handed out."""
        with self._lock:
            self._refresh()
            name = variant(key)
            warmed = self._warmed.get(name, set())
            found = [s for s in reversed(self._recent.get(name, {})) if s in warmed]
            return _take_job(dict.fromkeys(found[:limit]))

    def pending(self) -> tuple[WarmKey, list[Signature]] | None:
        """The next warm job: a kind of runner and the signatures to warm for it together
        (within what one warm-up request may ask)."""
        with self._lock:
            for key, waiting in self._pending.items():
                job = _take_job(waiting)
                if job:
                    return key, job
        return None

    def done(self, key: WarmKey, signatures: Iterable[Signature]) -> None:
        """Record a finished warm-up, in memory and in the index a restarted worker reads."""
        with self._lock:
            self._refresh()
            name = variant(key)
            warmed = self._warmed.setdefault(name, set())
            for signature in signatures:
                warmed.add(signature)
                self._pending.get(key, {}).pop(signature, None)
            self._write_index()
            self._settled.notify_all()

    def failed(self, key: WarmKey, signatures: Iterable[Signature]) -> None:
        """A warm-up that failed is not tried again by this process (a broken sandbox or a
        shape our program cannot handle would otherwise be retried after every grade)."""
        with self._lock:
            for signature in signatures:
                self._failed.add((variant(key), signature))
                self._pending.get(key, {}).pop(signature, None)
            self._settled.notify_all()

    def wait_idle(self, timeout_s: float) -> bool:
        """Wait until nothing is pending (every job done or failed); False on timeout."""
        with self._settled:
            return self._settled.wait_for(lambda: not any(self._pending.values()), timeout_s)

    def is_warmed(self, key: WarmKey, signature: Signature) -> bool:
        with self._lock:
            self._refresh()
            return signature in self._warmed.get(variant(key), set())

    # -- the index ---------------------------------------------------------------------

    def _known(self, name: str, signature: Signature) -> bool:
        return signature in self._warmed.get(name, set()) or (name, signature) in self._failed

    def _refresh(self) -> None:
        """Reload the index when another worker process (they share the directory) wrote it.
        Entries of another JAX build, or an index whose entries are gone, count for nothing."""
        try:
            mtime = os.stat(self.index).st_mtime_ns
        except FileNotFoundError:
            mtime = None
        if mtime == self._index_mtime_ns:
            return
        self._index_mtime_ns = mtime
        stored = self._read_index() if mtime is not None and self.entries.is_dir() else {}
        for name, signatures in stored.items():
            self._warmed.setdefault(name, set()).update(signatures)

    def _read_index(self) -> dict[str, set[Signature]]:
        try:
            data = json.loads(self.index.read_text())
            if data.get("runtime") != self.runtime:
                return {}
            return {str(name): {(tuple(shape), str(dtype)) for shape, dtype in items}
                    for name, items in data["warmed"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            log.warning("ignoring the compile cache's index %s: %s", self.index, exc)
            return {}

    def _write_index(self) -> None:
        data = {"runtime": self.runtime,
                "warmed": {name: sorted([list(shape), dtype] for shape, dtype in signatures)
                           for name, signatures in self._warmed.items()}}
        temporary = self.index.with_name(f".{INDEX_NAME}.{secrets.token_hex(6)}")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, self.index)  # a reader sees the old index or the new one
        self._index_mtime_ns = os.stat(self.index).st_mtime_ns


def _take_job(waiting: dict[Signature, None]) -> list[Signature]:
    job: list[Signature] = []
    elements = 0
    for shape, dtype in waiting:
        size = int(np.prod(shape, dtype=np.int64))
        if len(job) == MAX_SIGNATURES or (job and elements + size > MAX_TOTAL_ELEMENTS):
            break
        job.append((shape, dtype))
        elements += size
    return job
