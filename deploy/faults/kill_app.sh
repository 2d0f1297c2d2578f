#!/usr/bin/env bash
# Fault 1 (docs/cluster.md): kill one app process (SIGKILL) halfway through a load run against
# the running cluster (python3 platform/ctl.py cluster). HAProxy marks it down at the first
# refused connection and retries the request on the other process; the cluster starts the
# killed one again after 5 s. Prints the figures before, just after and after the kill, then
# PASS (no error, no wrong-schema answer) or FAIL. Extra flags go to bench/cluster.py
# (e.g. --sessions 200 --organisations 100 --seconds 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec .venv/bin/python bench/cluster.py --kill-app "$@"
