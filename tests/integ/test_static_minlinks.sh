#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# min-links on a static LAG of 3 members:
#
#   ns A                                     ns B
#   lag0 198.18.40.1 --+-- a0 ===== b0 --+-- lag0 198.18.40.2
#   --min-links 2      +-- a1 ===== b1 --+
#                      +-- a2 ===== b2 --+
#
# With 2 of 3 members up the LAG stays available; with 1 it goes down and the
# LAG device loses its carrier (ip link: NO-CARRIER, show -j: lagState down,
# carrier false); a member back makes it available again and ping crosses.
# `lagbpf set --min-links` moves the threshold at run time both ways.
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init static_minlinks

lt_ns A a; lt_ns B b
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
lt_attach "$A" lag0 a0 a1 a2 --mode static --min-links 2 || lt_fail "attach on A"
lt_attach "$B" lag0 b0 b1 b2 --mode static || lt_fail "attach on B"
ip -n "$A" addr add 198.18.40.1/24 dev lag0
ip -n "$B" addr add 198.18.40.2/24 dev lag0
lt_wait 5 lt_distributing "$A" lag0 3 || lt_fail "A: not 3 members distributing"
lt_wait 5 lt_lag_state "$A" lag0 available || lt_fail "A not available"
[ "$(lt_jq "$A" lag0 .minimumLinks)" = 2 ] || lt_fail "minimumLinks is not 2"

# no_carrier NS DEV: ip link shows NO-CARRIER on DEV.
# shellcheck disable=SC2317 # called by functions that lt_wait runs
no_carrier() { ip -n "$1" link show "$2" | grep -q NO-CARRIER; }
has_carrier() { ip -n "$1" link show "$2" | grep -q LOWER_UP; }
# shellcheck disable=SC2317 # run through lt_wait
lag_down() { lt_lag_state "$A" lag0 down && [ "$(lt_jq "$A" lag0 .carrier)" = false ] && no_carrier "$A" lag0; }
lag_up() { lt_lag_state "$A" lag0 available && [ "$(lt_jq "$A" lag0 .carrier)" = true ] && has_carrier "$A" lag0; }
ping_ok() { lt_run lt_nsexec "$A" ping -c 2 -i 0.1 -W 1 198.18.40.2; }

ping_ok || lt_fail "ping with 3 members"
# 2 of 3: still at min-links.
ip -n "$A" link set a0 down
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "a0 did not leave"
lag_up || lt_fail "LAG not available with 2 members and min-links 2"
ping_ok || lt_fail "ping with 2 members"
# 1 of 3 (this time the peer's end): below min-links.
ip -n "$B" link set b1 down
lt_wait 5 lag_down || lt_fail "LAG not down with 1 member and min-links 2: $(ip -n "$A" -br link show lag0), $(lt_jq "$A" lag0 '{lagState,carrier,distributingConnections}|tostring')"
lt_run ip -n "$A" link show lag0
! lt_nsexec "$A" ping -c 1 -W 1 198.18.40.2 >/dev/null 2>&1 || lt_fail "ping crosses a LAG that is down"
# Back to 2: available again.
ip -n "$B" link set b1 up
lt_wait 5 lag_up || lt_fail "LAG not available again after b1 came back"
lt_wait 5 ping_ok || lt_fail "ping after the LAG came back"

# set --min-links at run time: 3 takes it down with 2 members, 1 brings it back.
lt_run "$LAGBPF" -n "$A" set lag0 --min-links 3 || lt_fail "set --min-links 3"
lt_wait 5 lag_down || lt_fail "LAG not down after set --min-links 3 with 2 members"
[ "$(lt_jq "$A" lag0 .minimumLinks)" = 3 ] || lt_fail "minimumLinks is not 3 after set"
lt_run "$LAGBPF" -n "$A" set lag0 --min-links 1 || lt_fail "set --min-links 1"
lt_wait 5 lag_up || lt_fail "LAG not available after set --min-links 1"
# Above the number of members is refused.
! lt_run "$LAGBPF" -n "$A" set lag0 --min-links 4 || lt_fail "set --min-links 4 (3 members) accepted"
[ "$(lt_jq "$A" lag0 .minimumLinks)" = 1 ] || lt_fail "minimumLinks changed by a refused set"
# All members back: every one distributes again.
ip -n "$A" link set a0 up
lt_wait 5 lt_distributing "$A" lag0 3 || lt_fail "a0 did not rejoin"
lt_wait 5 ping_ok || lt_fail "ping with 3 members again"

lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
lt_run "$LAGBPF" -n "$B" detach lag0 || lt_fail "detach B"
lt_no_leftovers "$A" lag0 || lt_fail "leftovers on A after detach"
lt_no_leftovers "$B" lag0 || lt_fail "leftovers on B after detach"
lt_pass
