#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Configure (once) and build one build directory. Idempotent: an existing,
# configured directory is only rebuilt by ninja, which does nothing when
# nothing changed.
#
# Usage: tools/build.sh BUILDDIR [meson setup options...]
set -euo pipefail
dir=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -f "$dir/build.ninja" ]; then
  if ! out=$(meson setup "$dir" "$top" "$@" 2>&1); then
    printf '%s\n' "$out" >&2
    exit 1
  fi
fi
if ! out=$(ninja -C "$dir" 2>&1); then
  printf '%s\n' "$out" >&2
  exit 1
fi
