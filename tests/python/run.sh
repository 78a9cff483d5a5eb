#!/usr/bin/env bash
# The export round-trip tests: every export format read back by an independent reader
# (pandas/pyarrow, polars, DuckDB, Python's sqlite3, openpyxl, frictionless), and the
# recipes in docs/recipes.md run against fresh exports.
#
# Needs python3 (3.10+, with venv and pip) and access to PyPI the first time: the
# readers are installed into a venv under target/ (pinned in requirements.txt) and
# reused while requirements.txt is unchanged. Run by .ci/run; locally:
#   bash tests/python/run.sh            (or FAIRSHARE_PY_TESTS=1 cargo test -p fairshare-cli --test python_roundtrip)
# Extra arguments go to pytest (e.g. -k parquet).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

if ! command -v python3 >/dev/null 2>&1; then
  echo "tests/python/run.sh: python3 not found. The export round-trip tests need Python 3.10+ with venv and pip, and access to PyPI." >&2
  exit 1
fi

venv="${FAIRSHARE_PYENV:-$repo/target/pyenv}"
requirements="$repo/tests/python/requirements.txt"
stamp="$venv/requirements.sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "creating $venv (pinned readers from tests/python/requirements.txt)"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # Wheels only: a reader that would need compiling here is a setup problem to see, not to wait for.
  "$venv/bin/pip" install --disable-pip-version-check --no-input --quiet --only-binary=:all: -r "$requirements"
  echo "$want" > "$stamp"
fi

if [ -z "${FAIRSHARE_BIN:-}" ]; then
  cargo build --quiet --locked -p fairshare-cli --bin fairshare
  FAIRSHARE_BIN="$repo/target/debug/fairshare"
fi
export FAIRSHARE_BIN

exec "$venv/bin/python" -m pytest -p no:cacheprovider -q "$repo/tests/python" "$@"
