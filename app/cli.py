"""The `dojo` command. Each area registers its own subcommands; this module only dispatches."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

# Modules exposing `register(subparsers)`; each added subcommand sets `func` to a handler
# that takes the parsed namespace and returns the exit code.
COMMAND_MODULES = (
    "workers.grading.cli",  # grade, questions list|check
    "app.server_cli",  # serve, worker, questions sync|export, admin
)


def command_group(
    subparsers: argparse._SubParsersAction,
    groups: dict[str, argparse._SubParsersAction],
    name: str,
    help_text: str,
) -> argparse._SubParsersAction:
    """The subparsers of a shared group such as `dojo questions`, created on first use."""
    if name not in groups:
        parser = subparsers.add_parser(name, help=help_text)
        groups[name] = parser.add_subparsers(dest=f"{name}_command", required=True)
    return groups[name]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dojo", description="TensorDojo: grade and serve.")
    subparsers = parser.add_subparsers(dest="command", required=True)
    groups: dict[str, argparse._SubParsersAction] = {}
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers, groups)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.func
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
