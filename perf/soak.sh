#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Bounded soak of the appliance with proving on: zkclobd replays a
# generated capture again and again for DURATION seconds, while SIGHUPs
# arrive every 0.2 s and every KILL_EVERY-th run is SIGKILLed mid-stream
# and restarted, every run appending to ONE proof log. Each run draws a
# proving fault from a fixed cycle: none; clob-fast failing every 3rd call
# (the router fails over to clob-compact); clob-fast returning a corrupted
# proof 30 % of the time (the router's verify must catch it); clob-fast
# slow (50 ms more per call); a slow proof-log disk (each fdatasync chain
# held 20 ms). The traffic is cancel-heavy (stale ids, reduces, full
# cancels of a small book): kinds the CLOB AIR proves, so the faults hit
# real proofs.
#
# Checked per clean run: every offered op was applied; the events digest
# equals `zkclob replay` of the same capture; `zkclob verify-log` accepts
# the log so far (every proof verified, every market's root chain intact
# across the restarts and the torn tails the SIGKILLs leave; the few
# batches outside the AIR, the small book's first resting orders, are
# allowed as unproven and counted). At the end: the audit log is an intact
# chain. The peak RSS of every clean run is printed, so growth shows up.
#
# With -r RATE the capture is offered at RATE messages/s ([dataplane] rate:
# zkclobd's rx lcore paces what it takes from net_pcap), and the soak
# reports, per clean run, the offered rate beside the applied rate (ops
# applied over the first-to-last rx burst window) and the proven rate (ops
# in proven batch parts over the whole run).
#
# -B runs zkclobd with [prover] on_backlog = skip: matching never waits for
# the prover, and what it cannot take is logged as unproven ranges (resync
# records, accepted by verify-log --allow-unproven and counted).
#
# usage: perf/soak.sh [-b BUILD] [-d DURATION_S] [-n MESSAGES] [-k KILL_EVERY] [-r RATE] [-B]
# Traffic stays inside this machine (net_pcap on a file); metrics are off.
set -euo pipefail

build=build
duration=120
messages=8000
kill_every=4
rate=0
on_backlog=stall
while getopts "b:d:n:k:r:B" opt; do
  case $opt in
    b) build=$OPTARG ;;
    d) duration=$OPTARG ;;
    n) messages=$OPTARG ;;
    k) kill_every=$OPTARG ;;
    r) rate=$OPTARG ;;
    B) on_backlog=skip ;;
    *) echo "usage: $0 [-b BUILD] [-d DURATION_S] [-n MESSAGES] [-k KILL_EVERY] [-r RATE] [-B]" >&2; exit 2 ;;
  esac
done
zkclobd=$build/tools/zkclobd
zkclob=$build/tools/zkclob
[ -x "$zkclobd" ] && [ -x "$zkclob" ] || { echo "soak: build first (tools/build.sh $build)" >&2; exit 2; }

dir=$(mktemp -d /tmp/zkclob-soak-XXXXXX)
trap 'rm -rf "$dir"' EXIT

# Provable traffic: a small book, mostly reduces and cancels, half of the
# cancels naming ids that are gone.
gen_section="[gen]
count = $messages
live_orders = 8
stale_ref_pm = 500
mix_place = 100
mix_move = 0
mix_reduce = 300
mix_cancel = 600
mix_ioc = 0
mix_fok = 0
mix_market = 0"
printf '%s\n' "$gen_section" >"$dir/gen.conf"
"$zkclob" gen --config "$dir/gen.conf" "$dir/traffic.pcap" >/dev/null
want=$("$zkclob" replay --config "$dir/gen.conf" "$dir/traffic.pcap" | awk '/^digest:/ {print $2}')

faults=("" "fail every=3" "corrupt p=0.3 seed=7" "slow=50000" "")
delays=(0 0 0 0 20000)
names=(none fail-every-3 corrupt-30% slow-50ms slow-disk-20ms)
write_conf() { # $1 fault spec, $2 proof-log fdatasync delay (µs)
  cat >"$dir/soak.conf" <<EOF
[eal]
args = -l 0-1 --no-huge --no-pci -m 512 --file-prefix=zksoak$$ --log-level=lib.eal:warning
[dataplane]
source = pcap
pcap_path = $dir/traffic.pcap
rate = $rate
[metrics]
enabled = false
[audit]
path = $dir/audit.log
[prover]
enabled = true
backends = clob-fast clob-compact
fault = $1
fault_log_delay_us = $2
log = $dir/proofs.log
on_backlog = $on_backlog
$gen_section
EOF
}

runs=0 clean=0 killed=0 ops_total=0 bad=0
peaks=() applied_rates=() proven_rates=() proven_total=0
declare -A by_fault
end=$((SECONDS + duration))
while [ $SECONDS -lt $end ]; do
  runs=$((runs + 1))
  log=$dir/run-$runs.log
  f=$(( (runs - 1) % ${#faults[@]} ))
  write_conf "${faults[$f]}" "${delays[$f]}"
  /usr/bin/time -f "%M" -o "$dir/rss-$runs" "$zkclobd" --config "$dir/soak.conf" >"$log" 2>&1 &
  pid=$!
  # SIGHUP every 0.2 s while it runs (the config does not change between
  # them: each reload must report "unchanged" and disturb nothing)
  victim=0
  [ $((runs % kill_every)) -eq 0 ] && victim=1
  for i in $(seq 1 50); do
    sleep 0.2
    kill -0 $pid 2>/dev/null || break
    d=$(pgrep -P $pid zkclobd || true)
    [ -n "$d" ] && kill -HUP "$d" 2>/dev/null || true
    if [ $victim -eq 1 ] && [ "$i" -ge 5 ]; then
      [ -n "$d" ] && kill -KILL "$d" 2>/dev/null || true
      break
    fi
  done
  wait $pid || true
  if [ $victim -eq 1 ]; then
    killed=$((killed + 1))
    continue
  fi
  got=$(awk '/^engine:/ {print $2}' "$log")
  digest=$(awk '/^digest:/ {print $2}' "$log")
  proving=$(grep '^proving:' "$log" || true)
  vl=$("$zkclob" verify-log --config "$dir/soak.conf" --allow-unproven "$dir/proofs.log" 2>&1 || true)
  if [ "$got" = "$messages" ] && [ "$digest" = "$want" ] &&
     [[ $vl == *"verify-log: ACCEPT"* ]]; then
    clean=$((clean + 1))
    ops_total=$((ops_total + got))
    peaks+=("$(cat "$dir/rss-$runs")")
    applied_rates+=("$(awk '/^ingest:/ {print $5}' "$log")")
    proven_rates+=("$(awk '/^throughput:/ {print $5}' "$log")")
    proven_total=$((proven_total + $(awk '/^throughput:/ {print $2}' "$log")))
    by_fault[${names[$f]}]="${proving#proving: }"
  else
    bad=$((bad + 1))
    echo "soak: run $runs (${names[$f]}): applied '${got:-?}' of $messages, digest ${digest:-?}" >&2
    echo "$vl" | tail -2 >&2
    tail -5 "$log" >&2
  fi
done

final=$("$zkclob" verify-log --config "$dir/soak.conf" --allow-unproven "$dir/proofs.log" 2>&1 || true)
audit=$("$zkclob" audit-verify "$dir/audit.log" || true)
echo "soak: $duration s, $runs runs of $messages messages: $clean clean, $killed SIGKILLed, $bad wrong"
echo "soak: ops offered and applied in clean runs: $ops_total (every one, digest = zkclob replay)"
for k in "${!by_fault[@]}"; do
  echo "soak: last clean run with fault $k: ${by_fault[$k]}"
done
if [ "$rate" -gt 0 ]; then
  echo "soak: offered load: $rate messages/s (paced by zkclobd's rx lcore)"
else
  echo "soak: offered load: unpaced (each capture as fast as rx reads it)"
fi
echo "soak: applied ops/s per clean run: ${applied_rates[*]:-none}"
echo "soak: proven ops/s per clean run (ops in proven parts / run length): ${proven_rates[*]:-none}"
echo "soak: ops proven in clean runs: $proven_total of $ops_total applied (on_backlog = $on_backlog)"
if [ "$on_backlog" = skip ]; then
  echo "soak: unproven ranges in the log: $(echo "$final" | grep 'unproven ranges (resync records)' || echo none)"
fi
echo "soak: peak RSS per clean run (KiB): ${peaks[*]:-none}"
if [ ${#peaks[@]} -gt 1 ]; then
  echo "soak: RSS growth first -> last clean run: $(( ${peaks[-1]} - ${peaks[0]} )) KiB"
fi
echo "soak: proof log after all runs: $(echo "$final" | tail -1)"
echo "soak: $audit"
case "$final" in *"verify-log: ACCEPT"*) ;; *) bad=$((bad + 1)) ;; esac
case "$audit" in *": ok,"*) ;; *) bad=$((bad + 1)) ;; esac
[ $bad -eq 0 ]
