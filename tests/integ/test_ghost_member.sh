#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Members are tracked by ifindex. A member whose device is deleted leaves
# distribution at once and shows as gone; a new device under the same name
# is not taken for it (no ghost in the table); `del` forgets it. A renamed
# member is followed. 1000 carrier flaps leave the controller's file
# descriptors and memory flat and the state right.
#
#   ns A                                  ns B
#   lag0 (static) --+-- a0 ===== b0 --+-- (plain veth ends)
#                   +-- a1 ===== b1 --+
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init ghost_member

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; ip -n "$B" link set b$i up; done
lt_attach "$A" lag0 a0 a1 --mode static || lt_fail "attach"
lt_wait 5 lt_distributing "$A" lag0 2 || lt_fail "not 2 distributing"
pid=$(lt_jq "$A" lag0 .controllerPid)
pins=/sys/fs/bpf/lagbpf/netns/$A/lag0
old_a1=$(ip -n "$A" -o link show a1 | cut -d: -f1)

# 1. a1's device is deleted (its peer b1 goes with it).
ip -n "$A" link del a1
lt_wait 2 lt_member_is "$A" lag0 a1 .connectionState gone || lt_fail "a1 not shown as gone: $(lt_member "$A" lag0 a1 .connectionState)"
[ "$(lt_jq "$A" lag0 .distributingConnections)" = 1 ] || lt_fail "a1 still counted as distributing"

# 2. Another device named a1, up with a carrier: not the member.
lt_veth "$A" a1 "$B" b1
ip -n "$A" link set a1 up; ip -n "$B" link set b1 up
sleep 0.5
new_a1=$(ip -n "$A" -o link show a1 | cut -d: -f1)
[ "$new_a1" != "$old_a1" ] || lt_fail "the new a1 got the old ifindex: the test proves nothing"
[ "$(lt_member "$A" lag0 a1 .connectionState)" = gone ] || lt_fail "the new a1 was taken for the member"
[ "$(lt_jq "$A" lag0 .distributingConnections)" = 1 ] || lt_fail "a ghost is back in the table"
! ip -n "$A" -d link show a1 | grep -q prog/xdp || lt_fail "the new a1 got lagbpf's XDP program"

# 3. del forgets it: one member left, nothing of the old ifindex in the maps.
lt_run "$LAGBPF" -n "$A" del lag0 a1 || lt_fail "del of the gone a1"
[ "$(lt_jq "$A" lag0 '[.connections[].connectionName] | join(",")')" = a0 ] || lt_fail "members after del: $(lt_jq "$A" lag0 '[.connections[].connectionName]')"
for m in lag_members lag_cnt_member; do
	bpftool -j map dump pinned "$pins/$m" | jq -e --argjson k "$old_a1" 'all(.[]; .key != $k and (.formatted.key? // 0) != $k)' >/dev/null ||
		lt_fail "$m still has the old a1 ($old_a1)"
done

# 4. a0 renamed (down, rename, up): followed by ifindex.
ip -n "$A" link set a0 down
ip -n "$A" link set a0 name z0
ip -n "$A" link set z0 up
lt_wait 3 lt_member_is "$A" lag0 z0 .distributing true || lt_fail "the renamed z0 is not followed: $(lt_jq "$A" lag0 '[.connections[] | {connectionName, connectionState}]')"

# 5. 1000 carrier flaps of z0: state right after, fds and RSS flat.
fds() { find "/proc/$pid/fd" -mindepth 1 | wc -l; }
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
fd0=$(fds); rss0=$(rss)
for _ in $(seq 1000); do ip -n "$B" link set b0 down; ip -n "$B" link set b0 up; done
lt_wait 5 lt_member_is "$A" lag0 z0 .distributing true || lt_fail "z0 not distributing after the flaps"
fd1=$(fds); rss1=$(rss)
lt_log "controller fds $fd0 -> $fd1, RSS $rss0 -> $rss1 kB, carrierChanges $(lt_member "$A" lag0 z0 .carrierChanges)"
[ "$fd1" -le "$fd0" ] || lt_fail "file descriptors grew: $fd0 -> $fd1"
[ "$rss1" -lt $((rss0 + 8192)) ] || lt_fail "RSS grew: $rss0 -> $rss1 kB"
lt_pass "fds $fd0 -> $fd1, RSS $rss0 -> $rss1 kB over 1000 flaps"
