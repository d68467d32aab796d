#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The whole test suite, from a fresh Debian 12 machine or a warm checkout:
#   1. install missing Debian packages (tools/install-deps.sh),
#   2. build the release configuration (warnings are errors) and run every
#      test suite in it (unit, integration, fuzz),
#   3. build the ASan+UBSan configuration and run the unit suite in it.
# Ends with one line "N passed, N failed, N skipped"; exits non-zero when any
# test failed or nothing ran.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

tools/install-deps.sh
tools/build.sh build
tools/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debugoptimized -Dc_args=-fno-sanitize-recover=all -Dfuzz=disabled

rc=0
meson test -C build --print-errorlogs --num-processes 2 || rc=1
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  meson test -C build-asan --suite unit --print-errorlogs --num-processes 2 || rc=1

python3 - build/meson-logs/testlog.json build-asan/meson-logs/testlog.json <<'PY' || rc=1
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:]:
    with open(path) as f:
        for line in f:
            r = json.loads(line)["result"]
            if r in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif r == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
print(f'{counts["passed"]} passed, {counts["failed"]} failed, {counts["skipped"]} skipped')
sys.exit(1 if counts["failed"] or counts["passed"] == 0 else 0)
PY
exit $rc
