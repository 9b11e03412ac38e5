#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Clean goodbyes: del and detach send a last LACPDU (Synchronization,
# Collecting and Distributing cleared) on the member before it is restored,
# so the partner stops distributing on that link at once, although the link
# stays up (a0's own MAC is the LAG's, so restoring it does not flap the
# link). Without it the partner waits for its 3 s timeout.
#
#   ns A                                          ns B
#   lag0 (LACP fast, --mac = a0's) --+-- a0 ===== b0 --+-- lag0 (LACP fast)
#                                    +-- a1 ===== b1 --+
#
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init goodbye

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; done
ip -n "$A" link set a0 up # up before attach: restoring it leaves it up
mac=$(ip -n "$A" -j link show a0 | jq -r '.[0].address')
lt_attach "$A" lag0 a0 a1 --rate fast --mac "$mac" || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --rate fast || lt_fail "attach B"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "not formed"
carrier_changes() { ip netns exec "$B" cat /sys/class/net/b0/carrier_down_count; }

# left MS VERB...: run lagbpf VERB on A; MS until B's b0 stopped distributing.
left() {
	local t0 flaps0
	flaps0=$(carrier_changes)
	t0=$(lt_ms)
	lt_run "$LAGBPF" -n "$A" "$@" || lt_fail "$*"
	lt_wait 5 lt_member_is "$B" lag0 b0 .distributing false || lt_fail "b0 still distributing after $*"
	LEFT=$(( $(lt_ms) - t0 ))
	[ "$(carrier_changes)" = "$flaps0" ] || lt_fail "$*: the link flapped, the test proves nothing"
	lt_log "$*: b0 left distribution after $LEFT ms"
}

left del lag0 a0
del_ms=$LEFT
[ "$del_ms" -lt 1500 ] || lt_fail "after del, B kept distributing on b0 for $del_ms ms (its timeout, no goodbye)"
[ "$(lt_member "$B" lag0 b0 .partner.state.synchronization)" = false ] || lt_fail "B did not hear a0 leave sync"

lt_run "$LAGBPF" -n "$A" add lag0 a0 || lt_fail "add a0 back"
lt_wait 15 lt_distributing "$B" lag0 2 || lt_fail "a0 did not rejoin"
left detach lag0
[ "$LEFT" -lt 1500 ] || lt_fail "after detach, B kept distributing on b0 for $LEFT ms"
lt_pass "B stopped distributing on b0 ${del_ms} ms after del, ${LEFT} ms after detach (timeout 3000)"
