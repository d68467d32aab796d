#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The main job on the embedded default config, from a fresh Debian 12
# machine or a warm checkout: install missing packages, build (idempotent),
# run the appliance (zkclobd: built-in traffic source → DPDK net_pcap rx
# lcore → op ring → sequencer/matching engine → batches), then check its
# events digest independently with `zkclob replay` on the same capture.
# Output files go to out/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/install-deps.sh
tools/build.sh build

log=$(mktemp)
trap 'rm -f "$log"' EXIT
build/tools/zkclobd "$@" | tee "$log"
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
