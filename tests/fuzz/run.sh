#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make fuzz`: runs each harness $O/fuzz/fuzz_NAME for FUZZ_SECONDS on a fresh
# copy of tests/fuzz/corpus/NAME (the committed corpus is never written), one
# summary line each (libFuzzer's last cov: and exec/s: figures). A crash, a
# leak or a failed invariant fails the run and keeps the input as
# $O/fuzz/NAME-crash-* (or -leak-, -timeout-, -oom-); replay it with
# $O/fuzz/fuzz_NAME FILE (fuzz_machines built with -DFUZZ_TRACE shows each op).
# Usage: O=build FUZZ_SECONDS=30 tests/fuzz/run.sh NAME...
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
O=${O:-build}
secs=${FUZZ_SECONDS:-30}
rc=0
for name in "$@"; do
	bin=$O/fuzz/fuzz_$name work=$O/fuzz/corpus-$name log=$O/fuzz/$name.log
	rm -rf "$work" "$O/fuzz/$name"-crash-* "$O/fuzz/$name"-leak-* "$O/fuzz/$name"-timeout-* \
		"$O/fuzz/$name"-oom-*
	mkdir -p "$work"
	cp tests/fuzz/corpus/"$name"/* "$work"/
	"$bin" -max_total_time="$secs" -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$O/fuzz/$name-" "$work" >"$log" 2>&1
	status=$?
	last=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed 's/^#\([0-9]*\)[[:space:]]*[A-Z]*[[:space:]]*/\1 runs  /')
	if [ "$status" -eq 0 ]; then
		echo "  fuzz_$name: ok, ${secs}s: $last"
		continue
	fi
	rc=1
	echo "  fuzz_$name: FAILED (exit $status)${last:+ after $last}"
	grep -E 'check failed|ERROR: |SUMMARY: |runtime error' "$log" | head -5 | sed 's/^/    /'
	for f in "$O/fuzz/$name"-crash-* "$O/fuzz/$name"-leak-* "$O/fuzz/$name"-timeout-* \
		"$O/fuzz/$name"-oom-*; do
		[ -e "$f" ] && echo "    input: $f"
	done
	echo "    log: $log"
done
exit "$rc"
