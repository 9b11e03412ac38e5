#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make test`: unit tests (no root), BPF program tests (CAP_BPF), then the
# integration tests (root), and one closing line adding them all up.
# Usage: run-all.sh "UNIT_BINS" "BPF_BINS" "INTEG_TESTS"
cd "$(dirname "$0")/.." || exit 1
tp=0 tf=0 ts=0 rc=0
run() {
	local out line p f s
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -1)
	rm -f "$out"
	p=$(echo "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	s=$(echo "$line" | sed -n 's/.* \([0-9]*\) skipped.*/\1/p')
	[ -n "$line" ] || { echo "(no summary line: counted as 1 failure)"; f=1; rc=1; }
	tp=$((tp + ${p:-0})); tf=$((tf + ${f:-0})); ts=$((ts + ${s:-0}))
}
echo "== unit tests"
# shellcheck disable=SC2086
run tests/run-unit.sh $1
echo "== BPF program tests"
if [ "$(id -u)" = 0 ]; then
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
	# shellcheck disable=SC2086
	LABEL=bpf run tests/run-unit.sh $2
else
	echo "SKIP: BPF program tests need root (CAP_BPF)"
fi
echo "== integration tests"
# shellcheck disable=SC2086
run tests/run-integ.sh $3
echo "total: $tp passed, $tf failed, $ts skipped"
[ "$rc" -eq 0 ] && [ "$tf" -eq 0 ]
