"""Finding the Python runtime a sandboxed runner needs: the real interpreter and its packages.

A virtual environment's `bin/python` is a symlink (and a pyenv shim is a shell script that
reads the worker's environment); neither works inside the sandbox. The runner is started with
the base interpreter the venv was made from, and the venv's site-packages are bound read-only
and added by the harness with `site.addsitedir`.
"""

from __future__ import annotations

import os
import site
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from pathlib import Path

from .base import Bind, RunnerSpec


def _is_elf(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def real_interpreter() -> tuple[Path, Path]:
    """(executable, prefix) of the interpreter binary behind this process, venvs resolved."""
    prefix = Path(os.path.realpath(sys.base_prefix))
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        getattr(sys, "_base_executable", None),
        sys.executable,
        str(prefix / "bin" / version),
        str(prefix / "bin" / "python3"),
    ]
    for candidate in filter(None, candidates):
        path = Path(os.path.realpath(candidate))
        if path.is_relative_to(prefix) and path.is_file() and _is_elf(path):
            return path, prefix
    raise RuntimeError(f"cannot find the interpreter binary under {prefix}")


def site_packages_dirs() -> tuple[Path, ...]:
    """This environment's site-packages directories, resolved, existing and deduplicated."""
    paths = sysconfig.get_paths()
    found: list[Path] = []
    for candidate in [*site.getsitepackages(), paths["purelib"], paths["platlib"]]:
        path = Path(os.path.realpath(candidate))
        if path.is_dir() and path not in found:
            found.append(path)
    return tuple(found)


def runner_spec_for_current_interpreter(
    harness_dir: Path,
    env: Mapping[str, str] | None = None,
    gpu_devices: Sequence[str] = (),
    extra_paths: Sequence[Path] = (),
    binds: Sequence[Bind] = (),
) -> RunnerSpec:
    executable, prefix = real_interpreter()
    return RunnerSpec(
        harness_dir=Path(os.path.realpath(harness_dir)),
        python_executable=executable,
        python_prefix=prefix,
        site_packages=site_packages_dirs(),
        env=dict(env or {}),
        gpu_devices=tuple(gpu_devices),
        extra_paths=tuple(Path(os.path.realpath(p)) for p in extra_paths),
        binds=tuple(binds),
    )
