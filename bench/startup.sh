#!/usr/bin/env bash
# Start-up time to the first answered request, and idle RSS.
#   bench/startup.sh [path/to/crosskey] [runs]
# Starts crosskey (in memory and with a fresh data directory), polls
# /_crosskey/health every millisecond until it answers 200, then reads VmRSS
# after one idle second. Prints one line per run and the median.
set -euo pipefail
BIN=${1:-build/src/exe/crosskey}
RUNS=${2:-5}
PORT=${PORT:-4789}

measure() {
  local mode=$1 dir
  dir=$(mktemp -d)
  local args=(serve --port "$PORT" --log-level warn)
  if [[ $mode == memory ]]; then args+=(--memory); else args+=(--data-dir "$dir/data"); fi
  local t0 t1 pid
  t0=$(date +%s%N)
  "$BIN" "${args[@]}" > /dev/null 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$PORT/_crosskey/health" 2>/dev/null; do sleep 0.001; done
  t1=$(date +%s%N)
  sleep 1
  local rss
  rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  kill -TERM $pid; wait $pid 2>/dev/null || true
  rm -rf "$dir"
  echo "$mode $(( (t1 - t0) / 1000 )) $rss"
}

for mode in memory disk; do
  results=()
  for _ in $(seq "$RUNS"); do results+=("$(measure $mode)"); done
  printf '%s\n' "${results[@]}" | awk -v m=$mode '{print m": start-up " $2/1000 " ms, idle RSS " $3/1024 " MiB"}'
  printf '%s\n' "${results[@]}" | sort -k2 -n | awk -v n="$RUNS" -v m=$mode \
    'NR==int((n+1)/2) {print m" median: start-up " $2/1000 " ms (to first 200), idle RSS " $3/1024 " MiB"}'
done
