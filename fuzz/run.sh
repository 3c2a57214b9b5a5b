#!/usr/bin/env bash
# Runs the fuzz targets built in BUILD (default build-fuzz), each for SECONDS
# (default 60), starting from the checked-in seeds in fuzz/corpus/<target>.
# New inputs go to BUILD/fuzz/corpus/<target>, crashes to
# BUILD/fuzz/artifacts/<target>/. Exits non-zero when a target crashes,
# leaks, hits undefined behaviour, times out or runs out of memory.
# FUZZ_RUNS=N runs each target for N executions instead (SECONDS 0: no limit).
#
#   fuzz/run.sh [BUILD] [SECONDS] [target...]
set -euo pipefail
root=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-fuzz}
seconds=${2:-60}
shift $(( $# < 2 ? $# : 2 ))
targets=("$@")
if ((${#targets[@]} == 0)); then
  for d in "$root"/corpus/*/; do targets+=("$(basename "$d")"); done
fi

# Inputs larger than libFuzzer's default 4 KiB, where the format needs them.
max_len() {
  case $1 in
    segment_cipher_fuzz) echo 140000 ;;     # more than two 64 KiB segments
    http_request_fuzz|sigv4_fuzz) echo 20000 ;;  # past the 16 KiB header limit
    ddb_expression_fuzz) echo 5000 ;;        # past the 4 KiB expression limit
    *) echo 4096 ;;
  esac
}

status=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  if [[ ! -x $bin ]]; then echo "fuzz: $bin is not built" >&2; exit 2; fi
  work=$build/fuzz/corpus/$t
  artifacts=$build/fuzz/artifacts/$t
  mkdir -p "$work" "$artifacts"
  log=$build/fuzz/$t.log
  if "$bin" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
      -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "$root/corpus/$t" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $t ok, ${runs:-?} executions"
  else
    echo "fuzz: $t FAILED (log: $log, inputs: $artifacts)" >&2
    grep -E "ERROR|runtime error|SUMMARY|Test unit written" "$log" | head -n 20 >&2 || true
    status=1
  fi
done
exit $status
