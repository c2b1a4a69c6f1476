#!/usr/bin/env bash
# Installs what TensorDojo needs on Debian 12 into .venv (idempotent; quick when done).
#   bash scripts/setup.sh [serve|test]   # "test" also installs the browser for end-to-end tests
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-serve}"

# System packages: bubblewrap is the sandbox; Chromium drives the browser tests.
packages=(bubblewrap python3-venv python3-dev gcc)
[ "$purpose" = test ] && packages+=(chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: please install as root: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
stamp=.venv/.dojo-installed
# Reinstall when the dependency list changes.
want=$(sha256sum pyproject.toml | cut -c1-16)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch first and pinned: the CPU build; a range satisfied by it installs nothing more.
.venv/bin/python -m pip install -q "torch==2.13.0"
.venv/bin/python -m pip install -q -e ".[dev]"
echo "$want" > "$stamp"
echo "setup: .venv ready"
