#!/usr/bin/env bash
# crosskey beside nginx in one run: `make bench` runs this. See bench/side.py.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/side.py "$@"
