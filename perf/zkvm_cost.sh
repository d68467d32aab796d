#!/bin/bash
# SPDX-License-Identifier: MIT
#
# zkVM cost comparison (docs/zkvm-cost.md): RISC-V instructions per op of
# zk_engine_apply on the default traffic mix, overall and by op kind.
#
#   perf/zkvm_cost.sh [--ops N] [--warmup N] [--config FILE] [--trace] [--check]
#
#   --ops N       measured ops (default 100000)
#   --warmup N    ops applied before measuring, so the book holds its
#                 steady-state depth (default 20000)
#   --config FILE generator + market config laid over the default
#   --trace       count with `qemu-riscv64 -singlestep -d exec,nochain`
#                 (one log line per instruction, ~0.5 M instructions/s here)
#                 instead of the counting plugin built from zkvm_driver.c
#   --check       also count a small run both ways and require identical
#                 per-op counts (validates the plugin against the trace)
#
# Needs gcc-riscv64-linux-gnu and qemu-user: installed with apt-get when run
# as root, else the script says what is missing and exits 0 without figures.
# Environment: ZKVM_WORK (scratch dir, default /tmp/zkvm-cost-$USER),
# ZKVM_BUILD (meson build dir for the host side, default $ZKVM_WORK/build).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${ZKVM_WORK:-/tmp/zkvm-cost-${USER:-$(id -un)}}
BUILD=${ZKVM_BUILD:-$WORK/build}
OPS=100000
WARMUP=20000
CONFIG=
METHOD=plugin
CHECK=0

usage() {
	sed -n '5,17p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--ops) OPS=${2:?}; shift 2 ;;
	--warmup) WARMUP=${2:?}; shift 2 ;;
	--config) CONFIG=${2:?}; shift 2 ;;
	--trace) METHOD=trace; shift ;;
	--check) CHECK=1; shift ;;
	-h|--help) usage ;;
	*) echo "zkvm_cost: unknown argument $1" >&2; usage ;;
	esac
done
case "$OPS$WARMUP" in
*[!0-9]*) echo "zkvm_cost: --ops and --warmup take numbers" >&2; exit 2 ;;
esac

say() { echo "zkvm_cost: $*" >&2; }

# --- toolchain: only this benchmark needs it, so it is not in install-deps.sh
need_tools() {
	command -v riscv64-linux-gnu-gcc >/dev/null &&
		command -v qemu-riscv64 >/dev/null
}
if ! need_tools; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		say "installing gcc-riscv64-linux-gnu and qemu-user (apt-get)"
		apt-get update -qq >/dev/null
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			gcc-riscv64-linux-gnu qemu-user >/dev/null
	fi
	if ! need_tools; then
		say "SKIP: needs riscv64-linux-gnu-gcc and qemu-riscv64" \
			"(Debian: apt-get install gcc-riscv64-linux-gnu qemu-user)"
		exit 0
	fi
fi

mkdir -p "$WORK"
CFLAGS_COMMON=(-O2 -std=c17 -Wall -Wextra -Werror -D_GNU_SOURCE
	-fno-strict-aliasing -I"$ROOT/include")

# --- host side: export / run / report, linked like perf/bench_engine
if [ ! -f "$BUILD/build.ninja" ]; then
	say "configuring $BUILD"
	meson setup "$BUILD" "$ROOT" -Dtests=false -Dnative=false >"$WORK/meson-setup.log" ||
		{ cat "$WORK/meson-setup.log" >&2; exit 1; }
fi
ninja -C "$BUILD" -j2 perf/bench_engine >"$WORK/ninja.log" ||
	{ cat "$WORK/ninja.log" >&2; exit 1; }
cc "${CFLAGS_COMMON[@]}" -DZKVM_HOST -c "$ROOT/perf/zkvm_driver.c" \
	-o "$WORK/zkvm_host.o"
# The config library's link line (its dependencies change as the project
# grows) is taken from the bench_engine link, with our object swapped in.
LINK=$(ninja -C "$BUILD" -t commands perf/bench_engine | tail -n 1)
case "$LINK" in
*"-o perf/bench_engine perf/bench_engine.p/bench_engine.c.o"*) ;;
*) say "unexpected bench_engine link line: $LINK"; exit 1 ;;
esac
LINK=${LINK/-o perf\/bench_engine perf\/bench_engine.p\/bench_engine.c.o/-o $WORK/zkvm_host $WORK/zkvm_host.o}
(cd "$BUILD" && eval "$LINK")
HOST=$WORK/zkvm_host

# --- guest: the engine's apply path for RISC-V. event.h includes blake2.h
# for the digest API (unused here); the cross compiler sees only that header.
mkdir -p "$WORK/guest-include"
ln -sf "$(pkg-config --variable=includedir libb2)/blake2.h" \
	"$WORK/guest-include/blake2.h"
riscv64-linux-gnu-gcc "${CFLAGS_COMMON[@]}" -static -I"$WORK/guest-include" \
	"$ROOT/perf/zkvm_driver.c" "$ROOT/engine/engine.c" \
	"$ROOT/engine/core_plain.c" "$ROOT/engine/core_witness.c" \
	"$ROOT/engine/witness.c" -o "$WORK/zkvm_guest"
GUEST=$WORK/zkvm_guest
MARK=0x$(riscv64-linux-gnu-nm "$GUEST" | awk '$3 == "zkvm_mark" {print $1}')
[ "$MARK" != 0x ] || { say "zkvm_mark not found in $GUEST"; exit 1; }

# --- the counting plugin (same source file, plugin part)
cc "${CFLAGS_COMMON[@]}" -DZKVM_QEMU_PLUGIN -shared -fPIC -fvisibility=hidden \
	"$ROOT/perf/zkvm_driver.c" -o "$WORK/zkvm_insn.so"

# count_plugin OPS_FILE MARKS_FILE: guest stdout on stdout
count_plugin() {
	qemu-riscv64 -plugin "$WORK/zkvm_insn.so,mark=$MARK,out=$2" "$GUEST" run "$1"
}

# count_trace OPS_FILE MARKS_FILE: one log line per executed instruction;
# a mark is the number of lines before zkvm_mark's entry. The log goes
# through a fifo: a file would take ~80 bytes per instruction.
count_trace() {
	local fifo=$WORK/trace.fifo pc
	pc=$(printf '/%016x/' "$MARK")
	rm -f "$fifo"
	mkfifo "$fifo"
	awk -v pc="$pc" 'index($0, pc) { print n } /^Trace / { n++ }' "$fifo" >"$2" &
	local reader=$!
	qemu-riscv64 -singlestep -d exec,nochain -D "$fifo" "$GUEST" run "$1"
	wait "$reader"
	rm -f "$fifo"
}

# same_events OPS_FILE GUEST_LINE: the RISC-V build must compute what the
# native engine computes, or its instruction counts mean nothing.
same_events() {
	local native
	native=$("$HOST" run "$1")
	if [ "$native" != "$2" ]; then
		say "RISC-V and native runs differ: '$2' vs '$native'"
		exit 1
	fi
}

if [ "$CHECK" = 1 ]; then
	say "check: plugin vs -singlestep trace on 300 ops after 1000"
	"$HOST" export ${CONFIG:+--config "$CONFIG"} --warmup 1000 --ops 300 "$WORK/check.ops"
	same_events "$WORK/check.ops" "$(count_plugin "$WORK/check.ops" "$WORK/check.plugin")"
	count_trace "$WORK/check.ops" "$WORK/check.trace" >/dev/null
	# Both list the instruction count at every mark; the offsets may differ
	# by a constant (startup), the differences must not.
	diffs() { grep -v '^total' "$1" | awk 'NR > 1 { print $1 - p } { p = $1 }'; }
	if ! cmp -s <(diffs "$WORK/check.plugin") <(diffs "$WORK/check.trace"); then
		say "check FAILED: plugin and trace per-op counts differ"
		exit 1
	fi
	say "check: plugin and trace agree on $(($(grep -vc '^total' "$WORK/check.plugin") - 1)) intervals"
fi

say "generating $WARMUP + $OPS ops of the default mix"
"$HOST" export ${CONFIG:+--config "$CONFIG"} --warmup "$WARMUP" --ops "$OPS" "$WORK/run.ops"
say "counting with the $METHOD method"
START=$(date +%s)
if [ "$METHOD" = plugin ]; then
	GUEST_OUT=$(count_plugin "$WORK/run.ops" "$WORK/run.marks")
else
	GUEST_OUT=$(count_trace "$WORK/run.ops" "$WORK/run.marks")
fi
END=$(date +%s)
same_events "$WORK/run.ops" "$GUEST_OUT"
echo "guest: $(riscv64-linux-gnu-gcc --version | head -n 1), -O2 -static;" \
	"$(qemu-riscv64 --version | head -n 1); method $METHOD ($((END - START)) s)"
echo "RISC-V and native engine agree: $GUEST_OUT"
"$HOST" report "$WORK/run.ops" "$WORK/run.marks"
