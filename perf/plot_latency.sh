#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Plot a latency profile written by zk_latency_write() (docs/latency.md):
# one curve per stage (<dir>/<stage>.hgrm, HdrHistogram percentile
# distribution, values in µs), latency on a log y axis against
# 1/(1-percentile) on a log x axis labelled 0 % … 99.9999 %, like
# HdrHistogram's own plots.
#
# Usage: perf/plot_latency.sh <profile-dir> [out.png] [title]
# Needs gnuplot (Debian: gnuplot-nox); installs it when run as root.
set -eu

usage() {
	echo "usage: $0 <profile-dir> [out.png] [title]" >&2
	exit 2
}

[ $# -ge 1 ] || usage
dir=$1
out=${2:-$dir/latency.png}
title=${3:-zkclob latency by stage}
[ -d "$dir" ] || { echo "$0: $dir: not a directory" >&2; exit 1; }

if ! command -v gnuplot >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "$0: installing gnuplot-nox" >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >&2
	else
		echo "$0: gnuplot not found; install it with" \
		     "'sudo apt-get install gnuplot-nox' and rerun" >&2
		exit 1
	fi
fi

# Pipeline order (past 8 curves the colours repeat, so the dash changes);
# stages with no samples (no rows besides the 100 % line)
# are left out so an idle stage does not break the log scale.
plot=""
n=0
for stage in rx ring sequencer batch proving commit_wait commit prove_wait prove log end_to_end; do
	f=$dir/$stage.hgrm
	[ -f "$f" ] || continue
	rows=$(awk 'NF == 4 && $1 ~ /^[0-9.]+$/ && $1 > 0 { n++ } END { print n + 0 }' "$f")
	[ "$rows" -gt 0 ] || { echo "$0: $stage: no samples, skipped" >&2; continue; }
	# Column 4 is 1/(1-p); the last (100 %) row has none and the value
	# 0 cannot go on a log axis.
	[ $n -eq 0 ] || plot="$plot, "
	plot="$plot'$f' using 4:(\$1 > 0 ? \$1 : 1/0) with lines lw 2 dt $((n / 8 + 1)) title '$stage'"
	n=$((n + 1))
done
[ $n -gt 0 ] || { echo "$0: no .hgrm file with samples in $dir" >&2; exit 1; }

gnuplot <<EOF
set terminal pngcairo size 1200,700 noenhanced font 'DejaVu Sans,11'
set output '$out'
set title '$title'
set logscale x
set logscale y
set xrange [1:1000000]
set xtics ('0%%' 1, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000, '99.9999%%' 1000000)
set xlabel 'percentile'
set ylabel 'latency (µs)'
set format y '%.3g'
set grid xtics ytics mytics
set key top left
set datafile commentschars '#'
plot $plot
EOF
echo "$out"
