#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Runs cmocka test binaries and adds up their own summaries into one
# closing line: "N passed, N failed, N skipped".
pass=0 fail=0 skip=0 label=${LABEL:-unit}
for bin in "$@"; do
	out=$("$bin" 2>&1); rc=$?
	echo "$out" | grep -v '^\[ RUN' | sed "s|^|$(basename "$bin"): |"
	p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	s=$(echo "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -1)
	if [ -z "$p$f" ]; then
		echo "$(basename "$bin"): no cmocka summary (exit $rc)"; echo "$out" | tail -20
		fail=$((fail + 1)); continue
	fi
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0})); skip=$((skip + ${s:-0}))
	[ "$rc" -eq 0 ] || [ -n "$f" ] || { echo "$(basename "$bin"): exit $rc"; fail=$((fail + 1)); }
done
echo "$label: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
