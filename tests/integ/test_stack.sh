#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The LAG device behaves like a bond to the stack above it: its MTU, its
# multicast list, promiscuity and allmulti follow onto every member (veth does
# not filter, so the members' lists are checked directly), and all of it is
# undone on del and detach. On top of the LAG: jumbo frames after a live MTU
# change, IPv6, a bridge and a macvlan carry traffic across.
#
#   ns C                ns A                                 ns B
#   c0 (198.18.91.3) == br0 [lag0 | ca] ...                  lag0 198.18.90.2 / 2001:db8:90::2
#                       lag0 198.18.90.1 --+-- a0 ===== b0 --+
#                       mv0 (macvlan)      +-- a1 ===== b1 --+
#                                          +-- a2 ===== b2   (added later)
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck disable=SC2016 # lt_wait N eval '...': expanded anew on every try, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init stack

lt_ns A a; lt_ns B b; lt_ns C c
for i in 0 1 2; do lt_veth "$A" a$i "$B" b$i; done
ip -n "$A" link set a1 mtu 1400 # the LAG takes a0's 1500; a1 gets it back at the end
ip -n "$A" link set a2 mtu 1450
mtu() { ip -n "$1" -j link show "$2" | jq -r '.[0].mtu'; }
promisc() { ip -n "$1" -d -j link show "$2" | jq -r '.[0].promiscuity'; }
has_mc() { ip -n "$1" maddr show dev "$2" | grep -q "link  *$3"; }

lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach A"
lt_attach "$B" lag0 b0 b1 --mode static --mtu 9000 || lt_fail "attach B"
ip -n "$A" addr add 198.18.90.1/24 dev lag0; ip -n "$B" addr add 198.18.90.2/24 dev lag0
ip -n "$A" addr add 2001:db8:90::1/64 dev lag0 nodad; ip -n "$B" addr add 2001:db8:90::2/64 dev lag0 nodad
lt_wait 5 lt_distributing "$A" lag0 2 && lt_wait 5 lt_distributing "$B" lag0 2 || lt_fail "not formed"
[ "$(mtu "$A" lag0)" = 1500 ] && [ "$(mtu "$A" a1)" = 1500 ] || lt_fail "attach: lag0 $(mtu "$A" lag0), a1 $(mtu "$A" a1)"
[ "$(mtu "$B" lag0)" = 9000 ] && [ "$(mtu "$B" b1)" = 9000 ] && [ "$(lt_jq "$B" lag0 .mtu)" = 9000 ] ||
	lt_fail "attach --mtu 9000: lag0 $(mtu "$B" lag0), b1 $(mtu "$B" b1)"

# 1. A live MTU change on A (B attached with --mtu 9000): members follow,
# 8000-byte pings with DF cross.
ip -n "$A" link set lag0 mtu 9000
for m in a0 a1; do lt_wait 3 eval '[ "$(mtu "$A" $m)" = 9000 ]' || lt_fail "$m MTU $(mtu "$A" $m) after lag0 mtu 9000"; done
[ "$(lt_jq "$A" lag0 .mtu)" = 9000 ] || lt_fail "show -j mtu $(lt_jq "$A" lag0 .mtu)"
lt_run lt_nsexec "$A" ping -c 3 -i 0.2 -W 2 -s 8000 -M "do" 198.18.90.2 || lt_fail "jumbo ping across the LAG"

# 2. IPv6 across, and its solicited-node group on every member.
lt_run lt_nsexec "$A" ping -6 -c 3 -i 0.2 -W 2 2001:db8:90::2 || lt_fail "ping6 across the LAG"
for m in a0 a1; do lt_wait 3 has_mc "$A" $m 33:33:ff:00:00:01 || lt_fail "$m lacks lag0's solicited-node group"; done

# 3. A group joined and left on lag0; promisc and allmulti.
ip -n "$A" maddr add 01:00:5e:12:34:56 dev lag0
for m in a0 a1; do lt_wait 3 has_mc "$A" $m 01:00:5e:12:34:56 || lt_fail "$m did not join 01:00:5e:12:34:56"; done
ip -n "$A" maddr del 01:00:5e:12:34:56 dev lag0
for m in a0 a1; do lt_wait 3 eval "! has_mc '$A' $m 01:00:5e:12:34:56" || lt_fail "$m did not leave 01:00:5e:12:34:56"; done
ip -n "$A" link set lag0 promisc on
lt_wait 3 eval '[ "$(promisc "$A" a1)" = 1 ]' || lt_fail "a1 promiscuity $(promisc "$A" a1) with lag0 promisc"
ip -n "$A" link set lag0 promisc off
lt_wait 3 eval '[ "$(promisc "$A" a1)" = 0 ]' || lt_fail "a1 promiscuity $(promisc "$A" a1) after promisc off"
ip -n "$A" link set lag0 allmulticast on
allmulti() { ip -n "$1" -d -j link show "$2" | jq -r '.[0].allmulti'; }
lt_wait 3 eval '[ "$(allmulti "$A" a0)" = 1 ]' || lt_fail "a0 allmulti $(allmulti "$A" a0) with lag0 allmulticast"
ip -n "$A" link set lag0 allmulticast off
lt_wait 3 eval '[ "$(allmulti "$A" a0)" = 0 ]' || lt_fail "a0 allmulti $(allmulti "$A" a0) after allmulticast off"

# 4. A bridge with lag0 as a port: C reaches B across the bridge and the LAG.
ip -n "$A" addr flush dev lag0
ip -n "$A" link add br0 type bridge
ip -n "$A" link set lag0 master br0
lt_veth "$A" ca "$C" c0
ip -n "$A" link set ca master br0; ip -n "$A" link set ca up; ip -n "$A" link set br0 up
ip -n "$C" link set c0 mtu 1500 up; ip -n "$C" addr add 198.18.90.3/24 dev c0
lt_wait 5 eval '[ "$(promisc "$A" a0)" -ge 1 ]' ||
	lt_fail "a0 not promiscuous under the bridge (lag0 $(promisc "$A" lag0), a1 $(promisc "$A" a1)): $(grep -E "promisc|member" "/run/lagbpf/netns/$A/lag0.log" | tail -12)"
lt_wait 10 lt_nsexec "$C" ping -c 1 -W 1 198.18.90.2 || lt_fail "C -> B across the bridge and the LAG"
lt_run lt_nsexec "$B" ping -c 3 -i 0.2 -W 2 198.18.90.3 || lt_fail "B -> C across the LAG and the bridge"
ip -n "$A" link del br0

# 5. A macvlan on lag0 reaches B.
ip -n "$A" link add link lag0 name mv0 type macvlan mode bridge
ip -n "$A" addr add 198.18.90.4/24 dev mv0; ip -n "$A" link set mv0 up
lt_wait 10 lt_nsexec "$A" ping -c 1 -W 1 -I mv0 198.18.90.2 || lt_fail "macvlan on lag0 -> B"
lt_run lt_nsexec "$B" ping -c 3 -i 0.2 -W 2 198.18.90.4 || lt_fail "B -> macvlan on lag0"
ip -n "$A" link del mv0

# 6. add gets the LAG's MTU and groups; del and detach give every member back its own.
ip -n "$A" maddr add 01:00:5e:00:00:99 dev lag0
lt_run "$LAGBPF" -n "$A" add lag0 a2 || lt_fail "add a2"
[ "$(mtu "$A" a2)" = 9000 ] || lt_fail "a2 MTU $(mtu "$A" a2) after add"
lt_wait 3 has_mc "$A" a2 01:00:5e:00:00:99 || lt_fail "a2 lacks the LAG's group after add"
lt_run "$LAGBPF" -n "$A" del lag0 a2 || lt_fail "del a2"
[ "$(mtu "$A" a2)" = 1450 ] || lt_fail "a2 MTU $(mtu "$A" a2) after del, wanted 1450"
! has_mc "$A" a2 01:00:5e:00:00:99 || lt_fail "a2 kept the LAG's group after del"
lt_run "$LAGBPF" -n "$A" detach lag0 || lt_fail "detach A"
[ "$(mtu "$A" a0)" = 1500 ] && [ "$(mtu "$A" a1)" = 1400 ] || lt_fail "after detach: a0 $(mtu "$A" a0), a1 $(mtu "$A" a1)"
! has_mc "$A" a0 01:00:5e:00:00:99 && [ "$(promisc "$A" a0)" = 0 ] || lt_fail "a0 kept the LAG's group or promiscuity"
lt_pass
