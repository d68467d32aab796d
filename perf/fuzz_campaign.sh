#!/bin/bash
# SPDX-License-Identifier: MIT
#
# Long fuzzing campaign over every libFuzzer target (docs/fuzzing.md). The
# test suite runs each target for 20 s; this runs each for much longer, on
# all cores, keeps the corpora between runs, and prints what it found.
#
#   perf/fuzz_campaign.sh [-b BUILD] [-t SECONDS] [-j JOBS] [-o DIR] [TARGET...]
#
#   -b BUILD    meson build dir holding tests/fuzz/ (default: build)
#   -t SECONDS  time per target (default 600)
#   -j JOBS     parallel fuzzing processes per target (default: nproc)
#   -o DIR      campaign dir: corpus/<target>, crashes/, logs/<target>
#               (default: fuzz-campaign); rerunning resumes its corpora
#   TARGET      any of the targets below (default: all of them)
#
# Exit status: 0 when nothing was found, 1 when a target left a crash,
# leak, timeout or out-of-memory input (listed at the end; reproduce with
# `BUILD/tests/fuzz/TARGET FILE`), 2 on a usage or build error.
set -euo pipefail

ALL_TARGETS=(fuzz_wire fuzz_proof fuzz_config fuzz_audit fuzz_prooflog
	     fuzz_backend_frame fuzz_witness)
BUILD=build
SECONDS_PER_TARGET=600
JOBS=$(nproc)
OUT=fuzz-campaign

usage() {
	sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

while getopts "b:t:j:o:h" opt; do
	case $opt in
	b) BUILD=$OPTARG ;;
	t) SECONDS_PER_TARGET=$OPTARG ;;
	j) JOBS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
[[ $SECONDS_PER_TARGET =~ ^[0-9]+$ && $JOBS =~ ^[1-9][0-9]*$ ]] || usage

FUZZ_DIR=$(cd "$BUILD/tests/fuzz" 2>/dev/null && pwd) || {
	echo "fuzz_campaign: no $BUILD/tests/fuzz (configure with meson first)" >&2
	exit 2
}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# Build the targets and their seed lists (cheap when up to date).
ninja_targets=()
for t in "${TARGETS[@]}"; do
	case $t in
	fuzz_wire) ninja_targets+=(tests/fuzz/fuzz_wire tests/fuzz/fuzz_wire_seeds.txt) ;;
	fuzz_backend_frame) ninja_targets+=(tests/fuzz/fuzz_backend_frame
					    tests/fuzz/fuzz_backend_frame_seeds.txt
					    tests/fuzz/fuzz_backend_peer) ;;
	fuzz_proof|fuzz_config|fuzz_audit|fuzz_prooflog|fuzz_witness)
		ninja_targets+=("tests/fuzz/$t" "tests/fuzz/${t}_seeds.txt") ;;
	*) echo "fuzz_campaign: unknown target $t" >&2; exit 2 ;;
	esac
done
ninja -C "$BUILD" "${ninja_targets[@]}" >/dev/null || {
	echo "fuzz_campaign: build failed" >&2
	exit 2
}

mkdir -p "$OUT/crashes"
# The harnesses keep scratch files under TMPDIR; a job that stops at a
# finding leaves its own behind, so give them one dir and remove it.
SCRATCH=$(mktemp -d "${FUZZ_TMPDIR:-/dev/shm}/zkclob-fuzz.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
summary=()
for t in "${TARGETS[@]}"; do
	corpus=$OUT/corpus/$t
	logs=$OUT/logs/$t
	mkdir -p "$corpus" "$logs"
	rm -f "$logs"/fuzz-*.log
	extra=()
	case $t in
	fuzz_proof) extra=(-rss_limit_mb=4096) ;;
	fuzz_backend_frame) extra=(-max_len=16384) ;;
	*) extra=(-rss_limit_mb=2048) ;;
	esac
	echo "== $t: ${SECONDS_PER_TARGET}s x $JOBS jobs, corpus $corpus"
	before=$(find "$corpus" -type f | wc -l)
	# -jobs runs JOBS independent fuzzers sharing the corpus dir; each
	# writes logs/<target>/fuzz-N.log and stops at its first finding.
	(cd "$logs" && TMPDIR=$SCRATCH \
		ZK_FUZZ_BACKEND_PEER=$FUZZ_DIR/fuzz_backend_peer \
		"$FUZZ_DIR/$t" "$corpus" \
		-seed_inputs=@"$FUZZ_DIR/${t}_seeds.txt" \
		-jobs="$JOBS" -workers="$JOBS" \
		-max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
		-artifact_prefix="$OUT/crashes/$t-" "${extra[@]}" \
		>/dev/null 2>&1) || true
	after=$(find "$corpus" -type f | wc -l)
	execs=$(cat "$logs"/fuzz-*.log 2>/dev/null |
		awk '/stat::number_of_executed_units/ { n += $2 }
		     /stat::average_exec_per_sec/ { r += $2 }
		     END { printf "%d execs, %d exec/s (all jobs)", n, r }')
	found=$(find "$OUT/crashes" -maxdepth 1 -name "$t-*" -type f | wc -l)
	summary+=("$(printf '%-20s %s, corpus %d -> %d, findings %d' \
		"$t" "$execs" "$before" "$after" "$found")")
	echo "   ${summary[-1]}"
done

echo
echo "== summary ($OUT)"
printf '%s\n' "${summary[@]}"
findings=$(find "$OUT/crashes" -maxdepth 1 -type f | sort)
if [ -n "$findings" ]; then
	echo
	echo "== findings (reproduce: $FUZZ_DIR/<target> FILE)"
	echo "$findings"
	exit 1
fi
echo "no findings"
