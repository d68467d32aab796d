#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The main job on the embedded default config, from a fresh Debian 12
# machine or a warm checkout: install missing packages, build (idempotent),
# then `zkclob run`, which prints the summary. Output files go to out/.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/install-deps.sh
tools/build.sh build
exec build/tools/zkclob run --out out "$@"
