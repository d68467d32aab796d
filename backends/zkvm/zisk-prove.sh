#!/bin/sh
# SPDX-License-Identifier: MIT
#
# ZisK prove command for zkclob-zkvm-host (docs/zkvm.md, "ZisK"):
#
#   zisk-prove.sh ELF INPUT PROOF PUBLIC
#
# run by the host as `--prove zisk-prove.sh ELF {input} {proof} {public} --`.
# Proves the zkclob ZisK guest (ELF, built with `cargo-zisk build --release`
# in backends/zkvm/zisk-guest) on the guest input INPUT, writes PROOF (a tar
# of what `cargo-zisk prove` left in its output folder, which
# zisk-verify.sh unpacks) and PUBLIC (the guest's output words as
# `ziskemu` prints them, each as 4 big-endian bytes; the host compares them
# with the statement and market record it expects).
#
# The ZisK commands are the ones the ZisK book documents
# (github.com/0xPolygonHermez/zisk, book/getting_started/quickstart.md):
#   ziskemu -e ELF -i INPUT                      (one 8-hex-digit word per output)
#   cargo-zisk prove -e ELF -i INPUT -o DIR -a -y (-a aggregation, -y verify)
# Extra `cargo-zisk prove` flags (e.g. `-k PROVING_KEY`, `-w WITNESS_LIB`)
# come from ZISK_PROVE_ARGS, split on blanks. CARGO_ZISK and ZISKEMU name
# the programs (default: cargo-zisk and ziskemu on PATH).
#
# Exit: 0 proven; 1 the prover failed or left no proof; 2 bad arguments;
# 3 the ZisK toolchain is missing. The host answers every non-zero exit
# with a failed PROVE (status 1), so the router fails the batch over.
set -u

me=zisk-prove.sh
cargo_zisk=${CARGO_ZISK:-cargo-zisk}
ziskemu=${ZISKEMU:-ziskemu}

die() {
	code=$1
	shift
	echo "$me: $*" >&2
	exit "$code"
}

# An 8-hex-digit word as its 4 bytes, most significant first.
emit_word() {
	i=1
	while [ "$i" -le 7 ]; do
		pair=$(printf %s "$1" | cut -c"$i-$((i + 1))")
		# shellcheck disable=SC2059 # the format is the octal escape
		printf "\\$(printf %o "$((0x$pair))")"
		i=$((i + 2))
	done
}

[ $# -eq 4 ] || die 2 "usage: $me ELF INPUT PROOF PUBLIC (got $# arguments)"
elf=$1 input=$2 proof=$3 public=$4
{ [ -f "$elf" ] && [ -r "$elf" ]; } || die 2 "ELF '$elf' is not a readable file (build it: cd backends/zkvm/zisk-guest && cargo-zisk build --release)"
{ [ -f "$input" ] && [ -r "$input" ]; } || die 2 "guest input '$input' is not a readable file"
[ -n "$proof" ] || die 2 "empty PROOF path"
[ -n "$public" ] || die 2 "empty PUBLIC path"
for tool in "$cargo_zisk" "$ziskemu" tar; do
	command -v "$tool" >/dev/null 2>&1 ||
		die 3 "'$tool' not found: install the ZisK toolchain (ziskup, docs/zkvm.md) or set CARGO_ZISK / ZISKEMU"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/zisk-prove.XXXXXX") || die 1 "cannot create a work folder"
trap 'rm -rf "$work"' EXIT

# The public values: the guest's outputs under the emulator. The proof's
# own copy of them is what zisk-verify.sh checks against these bytes.
"$ziskemu" -e "$elf" -i "$input" >"$work/outputs.txt" ||
	die 1 "ziskemu failed on '$input'"
: >"$public" || die 1 "cannot write '$public'"
words=0
while IFS= read -r line; do
	case $line in
	[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]) ;;
	*) die 1 "ziskemu printed '$line', not an 8-hex-digit output word" ;;
	esac
	emit_word "$line" >>"$public" || die 1 "cannot write '$public'"
	words=$((words + 1))
done <"$work/outputs.txt"
[ "$words" -gt 0 ] || die 1 "ziskemu printed no output words"

# stdout belongs to the host's protocol channel only in serve mode; the
# prove command's stdout is closed, so everything goes to stderr.
# shellcheck disable=SC2086 # ZISK_PROVE_ARGS is a word list on purpose
"$cargo_zisk" prove -e "$elf" -i "$input" -o "$work/out" -a -y ${ZISK_PROVE_ARGS:-} >&2 ||
	die 1 "cargo-zisk prove failed"

# Newer ZisK writes DIR/vadcop_final_proof.bin (publics inside); older
# releases DIR/proofs/vadcop_final_proof.json beside DIR/publics.json.
if [ -f "$work/out/vadcop_final_proof.bin" ]; then
	set -- vadcop_final_proof.bin
elif [ -f "$work/out/proofs/vadcop_final_proof.json" ] && [ -f "$work/out/publics.json" ]; then
	set -- proofs/vadcop_final_proof.json publics.json
else
	die 1 "cargo-zisk prove left no vadcop_final_proof.bin or proofs/vadcop_final_proof.json + publics.json in its output"
fi
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner \
	-cf "$proof" -C "$work/out" "$@" || die 1 "cannot write '$proof'"
exit 0
