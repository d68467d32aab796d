#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the zkVM guest core's native runner offline and copies it where
# meson expects the target's output: cargo_build.sh CARGO MANIFEST TARGET_DIR
# OUTPUT; the binary built is the one OUTPUT is named after.
set -eu
cargo=$1 manifest=$2 target_dir=$3 output=$4
bin=$(basename "$output")
"$cargo" build --offline --release --quiet --manifest-path "$manifest" \
	--target-dir "$target_dir" --bin "$bin"
cp "$target_dir/release/$bin" "$output"
