# Sourced by the scripts: creates or updates the project's virtual environment in .venv.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "OmniPOS needs Python 3.11 or newer as '$PY' (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating virtual environment in .venv ..."
  "$PY" -m venv .venv || { echo "python3 -m venv failed: on Debian run 'apt-get install python3-venv'" >&2; exit 1; }
fi
stamp=".venv/.omnipos-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)-${OMNIPOS_EXTRAS:-dev}"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Installing OmniPOS and its dependencies into .venv ..."
  .venv/bin/python -m pip install -q --upgrade "pip>=25.1"
  if [ "${OMNIPOS_EXTRAS:-dev}" = "dev" ]; then
    .venv/bin/python -m pip install -q -e '.[hardware,postgres]' --group dev
  else
    .venv/bin/python -m pip install -q -e '.[postgres]'
  fi
  echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
