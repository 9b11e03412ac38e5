#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Runs the integration tests (tests/integ/test_*.sh), or those named in
# $@ / TESTS="a b". Needs root; without it every test reports SKIP.
# Prints one line per test and a closing "N passed, N failed, N skipped".
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0 skip=0 failed=()
if [ $# -gt 0 ]; then
	tests=()
	for t in "$@"; do tests+=("tests/integ/test_${t#test_}"); done
	tests=("${tests[@]/%.sh/}"); tests=("${tests[@]/%/.sh}")
else
	tests=(tests/integ/test_*.sh)
fi
for t in "${tests[@]}"; do
	[ -f "$t" ] || { echo "FAIL: $t: no such test"; fail=$((fail + 1)); continue; }
	start=$(date +%s%N)
	out=$(bash "$t")
	rc=$?
	[ -z "$out" ] || echo "$out"
	# exit 0 without its PASS line (e.g. a syntax error after the last
	# assert) is no pass
	if [ $rc -eq 0 ] && ! grep -q '^PASS:' <<<"$out"; then
		echo "FAIL: $(basename "$t" .sh): exited 0 without a PASS line"
		rc=1
	fi
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	dur="$((ms / 1000)).$(( (ms % 1000) / 100 ))"
	case $rc in
	0) pass=$((pass + 1)) ;;
	4) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)); failed+=("$(basename "$t")") ;;
	esac
	echo "      ($(basename "$t" .sh): ${dur}s)"
done
[ ${#failed[@]} -eq 0 ] || echo "failed: ${failed[*]}"
echo "integration: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
