#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The main job on the embedded default config, from a fresh Debian 12
# machine or a warm checkout: install missing packages, build (idempotent),
# run the appliance (zkclobd: built-in traffic source → DPDK net_pcap rx
# lcore → op ring → sequencer/matching engine → batches → per-market commit
# → prover workers → proof log), then check its events digest
# independently with `zkclob replay` on the same capture and its proof log
# with `zkclob verify-log`. Output files go to out/; the proof log goes to a
# fresh temporary folder (the default config's [prover] with only the log
# path changed), so every demo starts a new log. With arguments, they are
# zkclobd's and the proof log is the one their config names.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/install-deps.sh
tools/build.sh build

log=$(mktemp)
work=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$work"' EXIT
args=("$@")
plog=
if [ "${#args[@]}" -eq 0 ]; then
  plog="$work/proofs.log"
  printf '[prover]\nlog = %s\n' "$plog" > "$work/demo.conf"
  args=(--config "$work/demo.conf")
fi
build/tools/zkclobd "${args[@]}" | tee "$log"
echo "---- independent check: zkclob replay of the same capture ----"
build/tools/zkclob replay out/traffic.pcap | tee -a "$log" | grep -E '^(replay|digest|speed):'
digests=$(grep -c '^digest:' "$log")
unique=$(grep '^digest:' "$log" | awk '{print $2}' | sort -u | wc -l)
if [ "$digests" -eq 2 ] && [ "$unique" -eq 1 ]; then
  echo "check:   zkclobd and zkclob replay agree on the events digest"
else
  echo "check:   MISMATCH between zkclobd and zkclob replay" >&2
  exit 1
fi
if [ -n "$plog" ]; then
  echo "---- independent check: zkclob verify-log of the proof log ----"
  # every proof verified and every market's root chain checked; the
  # default flow is all inside the CLOB AIR, so an unproven batch fails
  build/tools/zkclob verify-log "$plog"
fi
