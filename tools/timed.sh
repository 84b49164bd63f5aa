#!/usr/bin/env bash
# Usage: tools/timed.sh NAME COMMAND...  — runs COMMAND and reports how long the step took.
set -uo pipefail
name=$1; shift
start=$(date +%s)
"$@"
status=$?
echo "[make test] ${name}: $(( $(date +%s) - start )) s (exit ${status})"
exit $status
