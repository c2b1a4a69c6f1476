#!/usr/bin/env bash
# Set up (idempotently) and then either serve the app or run the whole test suite.
#   bash scripts/quickstart.sh serve [dojo serve options]   # the app on its embedded default
#   bash scripts/quickstart.sh test  [pytest options]       # lint, types and every test
set -euo pipefail
cd "$(dirname "$0")/.."

what="${1:-serve}"
shift || true

bash scripts/setup.sh "$what"

case "$what" in
  serve)
    exec .venv/bin/dojo serve "$@"
    ;;
  test)
    echo "== ruff"
    .venv/bin/ruff check .
    echo "== mypy"
    .venv/bin/mypy app workers
    echo "== pytest"
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/quickstart.sh serve|test [options]" >&2
    exit 2
    ;;
esac
