"""Runs the harness as a plain child process. For development only: it contains nothing.

Reached only through the loudly named `--unsafe-no-sandbox` flag or DOJO_UNSAFE_NO_SANDBOX=1.
"""

from __future__ import annotations

from .base import CHANNEL_ENV, Limits, RunnerSpec
from .process import ChannelProcess


class UnsandboxedLauncher:
    name = "unsandboxed"

    def start(self, spec: RunnerSpec, limits: Limits) -> ChannelProcess:
        def build(in_fd: int, out_fd: int) -> tuple[list[str], dict[str, str]]:
            env = {
                **spec.env,
                CHANNEL_ENV: f"{in_fd},{out_fd}",
                "DOJO_SITE_PACKAGES": ":".join(str(p) for p in spec.site_packages),
                "DOJO_THREADS": str(limits.threads),
            }
            argv = [str(spec.python_executable), "-I", str(spec.harness_dir / "boot.py")]
            return argv, env

        return ChannelProcess(build, limits)
