#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# --fallback active-backup (issue 11): a host that must come up before its switch speaks LACP
# (PXE, first boot), fast rate:
#
#   ns A (--fallback active-backup --fallback-timeout 3, a1 port priority 100)
#   lag0 198.18.94.1 --+-- a0 ===== b0 --+-- ns B: first a plain bridge br0 198.18.94.2 (no
#                      +-- a1 ===== b1 --+   LACP), then lagbpf lag0 198.18.94.2 on b0 b1
#
# 1. No LACPDU heard: before 3 s nothing distributes; after it, A comes up on a1 alone (the
#    lowest port priority): lagState available, lacp.fallbackMember a1, a1 collecting and
#    distributing, a0 neither, and the log says so. Ping crosses.
# 2. B starts LACP: A leaves fallback as soon as B speaks (fallbackMember null, the log says
#    so), and LACP forms on both links on both ends. Ping crosses.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init lacp_fallback
LT_CLEANUP+=(lt_detach_parallel)

lt_ns A a; lt_ns B b
lt_veth "$A" a0 "$B" b0
lt_veth "$A" a1 "$B" b1
ip -n "$B" link add br0 type bridge
for i in 0 1; do ip -n "$B" link set b$i master br0 up; done
ip -n "$B" link set br0 up
ip -n "$B" addr add 198.18.94.2/24 dev br0

t0=$(lt_ms)
lt_attach "$A" lag0 a0 a1 --rate fast --fallback active-backup --fallback-timeout 3 \
	--port-priority a1=100 || lt_fail "attach A"
ip -n "$A" addr add 198.18.94.1/24 dev lag0
[ "$(lt_jq "$A" lag0 '"\(.lacp.fallback) \(.lacp.fallbackTimeout) \(.lacp.fallbackMember)"')" = \
	"active-backup 3 null" ] || lt_fail "lacp: $(lt_jq "$A" lag0 .lacp)"

# shellcheck disable=SC2317 # run through lt_wait
in_fallback() {
	[ "$(lt_jq "$A" lag0 '"\(.lagState) \(.lacp.fallbackMember)"')" = "available a1" ] &&
		[ "$(lt_member "$A" lag0 a1 '"\(.collecting) \(.distributing)"')" = "true true" ] &&
		[ "$(lt_member "$A" lag0 a0 '"\(.collecting) \(.distributing)"')" = "false false" ]
}
lt_wait 2 in_fallback && lt_fail "fallback before its timeout ($(($(lt_ms) - t0)) ms after attach)"
lt_wait 10 in_fallback || lt_fail "no fallback: $(lt_jq "$A" lag0 '[.lagState, .lacp.fallbackMember]' | tr -d '\n ')"
dt=$(($(lt_ms) - t0))
grep -q "fallback: off (no LACPDU heard) -> active-backup" "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "the log does not say it went to fallback"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.94.2 || lt_fail "no ping in fallback"
lt_run lt_nsexec "$A" ping -c 5 -i 0.1 -W 1 198.18.94.2 || lt_fail "ping in fallback"

# ---- 2. the switch is set up: B speaks LACP -----------------------------------------------------
ip -n "$B" link del br0
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
ip -n "$B" addr add 198.18.94.2/24 dev lag0
# shellcheck disable=SC2317 # run through lt_wait
left() { [ "$(lt_jq "$A" lag0 .lacp.fallbackMember)" = null ]; }
lt_wait 10 left || lt_fail "A stays in fallback while B speaks"
grep -q "fallback: active-backup (LACPDU heard) -> off" "/run/lagbpf/netns/$A/lag0.log" ||
	lt_fail "the log does not say it left fallback"
# shellcheck disable=SC2317 # run through lt_wait
both_two() { lt_distributing "$A" lag0 2 && lt_distributing "$B" lag0 2; }
lt_wait 15 both_two || lt_fail "LACP did not form after the fallback"
left || lt_fail "back in fallback"
lt_wait 5 lt_nsexec "$A" ping -c 1 -W 1 198.18.94.2 || lt_fail "no ping over LACP"
lt_pass "fallback on a1 $dt ms after attach (timeout 3 s), left when B spoke"
