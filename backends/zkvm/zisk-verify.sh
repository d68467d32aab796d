#!/bin/sh
# SPDX-License-Identifier: MIT
#
# ZisK verify command for zkclob-zkvm-host (docs/zkvm.md, "ZisK"):
#
#   zisk-verify.sh STATEMENT PUBLIC PROOF
#
# run by the host as `--verify zisk-verify.sh {statement} {public} {proof} --`.
# PROOF is what zisk-prove.sh wrote (a tar of the ZisK output); PUBLIC the
# bytes the guest must have committed (the statement, then the market's
# record). Accepts only when `cargo-zisk verify` accepts the proof AND the
# public values inside the proof are PUBLIC's words: a valid proof of some
# other batch is a reject, not an accept.
#
# ZisK commands as the ZisK book documents them
# (github.com/0xPolygonHermez/zisk, book/getting_started/quickstart.md and
# writing_programs.md):
#   cargo-zisk verify -p DIR/vadcop_final_proof.bin                (newer)
#   cargo-zisk verify -p DIR/proofs/vadcop_final_proof.json -u DIR/publics.json
# Extra flags (e.g. -s/-e/-k for a non-default proving key) come from
# ZISK_VERIFY_ARGS, split on blanks; CARGO_ZISK names the program.
#
# Where the output words sit among the proof's publics is NOT taken from
# ZisK's documentation and has not been run here (docs/zkvm.md lists it as
# untested): the .bin is read as a little-endian u64 count followed by that
# many u64 publics, publics.json as a JSON array (jq); in both the first
# words are taken to be the guest's outputs, in set_output order.
#
# Exit: 0 accept; 1 reject; 2 bad arguments; 3 the ZisK toolchain (or tar,
# od; jq for publics.json) is missing. The host maps 0 to accept, 1 to
# reject, anything else to error. A `cargo-zisk verify` that fails for its
# own reasons (no proving key) reads as a reject: it cannot tell us which.
set -u

me=zisk-verify.sh
cargo_zisk=${CARGO_ZISK:-cargo-zisk}

die() {
	code=$1
	shift
	echo "$me: $*" >&2
	exit "$code"
}

[ $# -eq 3 ] || die 2 "usage: $me STATEMENT PUBLIC PROOF (got $# arguments)"
statement=$1 public=$2 proof=$3
for f in "$statement" "$public" "$proof"; do
	{ [ -f "$f" ] && [ -r "$f" ]; } || die 2 "'$f' is not a readable file"
done
st_len=$(wc -c <"$statement")
pub_len=$(wc -c <"$public")
{ [ "$pub_len" -gt 0 ] && [ $((pub_len % 4)) -eq 0 ]; } ||
	die 2 "PUBLIC holds $pub_len bytes, not a whole number of 4-byte words"
[ "$st_len" -le "$pub_len" ] || die 2 "STATEMENT is longer than PUBLIC"
for tool in "$cargo_zisk" tar od; do
	command -v "$tool" >/dev/null 2>&1 ||
		die 3 "'$tool' not found: install the ZisK toolchain (ziskup, docs/zkvm.md) or set CARGO_ZISK"
done
# PUBLIC must begin with the statement it is asked about
cmp -s -n "$st_len" "$statement" "$public" ||
	die 1 "PUBLIC does not begin with STATEMENT"

work=$(mktemp -d "${TMPDIR:-/tmp}/zisk-verify.XXXXXX") || die 2 "cannot create a work folder"
trap 'rm -rf "$work"' EXIT

# Only the members zisk-prove.sh writes: nothing else is unpacked.
# (a file that is not a tar lists nothing and is refused below)
members=$(tar -tf "$proof" 2>/dev/null | sort | tr '\n' ' ')
case $members in
"vadcop_final_proof.bin ")
	layout=bin ;;
"proofs/vadcop_final_proof.json publics.json ")
	layout=json ;;
*)
	die 1 "the proof holds '$members', not a ZisK proof from zisk-prove.sh" ;;
esac
tar -xf "$proof" -C "$work" || die 1 "cannot unpack the proof"

# Expected words: PUBLIC as big-endian u32s, one decimal per line.
od -An -v -tu1 "$public" | tr -s ' ' '\n' | sed '/^$/d' |
	awk '{ w = w * 256 + $1; if (NR % 4 == 0) { printf "%.0f\n", w; w = 0 } }' >"$work/want"

# shellcheck disable=SC2086 # ZISK_VERIFY_ARGS is a word list on purpose
if [ "$layout" = bin ]; then
	"$cargo_zisk" verify -p "$work/vadcop_final_proof.bin" ${ZISK_VERIFY_ARGS:-} >&2 ||
		die 1 "cargo-zisk verify rejected the proof"
	od -An -v -tu8 --endian=little "$work/vadcop_final_proof.bin" |
		tr -s ' ' '\n' | sed '/^$/d' |
		awk 'NR == 1 { n = $1; next } NR <= n + 1 { print }' >"$work/got"
else
	"$cargo_zisk" verify -p "$work/proofs/vadcop_final_proof.json" \
		-u "$work/publics.json" ${ZISK_VERIFY_ARGS:-} >&2 ||
		die 1 "cargo-zisk verify rejected the proof"
	command -v jq >/dev/null 2>&1 || die 3 "'jq' not found (a ZisK dependency)"
	jq -r '.[] | tostring' "$work/publics.json" >"$work/got" ||
		die 1 "publics.json is not a JSON array"
fi
want_n=$(wc -l <"$work/want")
head -n "$want_n" "$work/got" >"$work/got_head"
cmp -s "$work/want" "$work/got_head" ||
	die 1 "the proof's public values are not PUBLIC (another batch, or other market rules)"
exit 0
