#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#
# ovs-partner.sh: run Open vSwitch as a third-party LACP partner inside one network namespace,
# for lagbpf's integration tests. Owns one private OVS instance per DIR (db, sockets, pids, logs
# all live in DIR) on the userspace datapath (datapath_type=netdev: no kernel module needed).
# Must not touch the system's OVS (/etc/openvswitch, /var/run/openvswitch, its service) nor any
# process or device it did not make.
#
# Facts measured on OVS 3.1.0 / Linux 6.18 that shape this script (see also tests/integ/
# test_ovs_partner_selftest.sh):
#  - "lacp/show" prints "status: active negotiated" even while every member is expired or
#    defaulted, so "negotiated" alone proves nothing: `wait` also requires each member to be
#    "current attached" with "synchronized" in both actor and partner state.
#  - OVS sends periodic LACPDUs at the rate the *partner* asked for (802.1AX: the partner's
#    LACP_Timeout bit). While a member is EXPIRED (its first ~3 s) that is fast; once DEFAULTED,
#    slow: one LACPDU per 30 s. So an active OVS whose members already had carrier, with a peer
#    that stays silent for more than 3 s and then comes up passive without a carrier change,
#    negotiates only after up to 30 s (measured 27.8 s). A carrier change resets OVS's LACP and
#    it sends at once (measured 0.8 s when the peer's start brought the veth peers up). Start
#    the passive side first, or make the peer active.
#  - Internal ports (the bridge port and "ovs-netdev") are *persistent* tap devices on the
#    netdev datapath: a plain SIGTERM leaves them behind in the namespace. `stop` therefore
#    asks "exit --cleanup" first and deletes any leftover tap it made.
#  - OVS puts its interfaces up and promiscuous and may restore the flags it found when it lets
#    one go; members are set up before they are added, and again after del-member, so that a
#    removed member keeps its carrier up.
#  - ovs-vswitchd logs "Generic Netlink family 'ovs_datapath' does not exist. The Open vSwitch
#    kernel module is probably not loaded." and ".../netdev_max_backlog: open failed" inside a
#    namespace: both harmless here.
#  - OVS sets the Aggregation bit only on a port with more than one member: a one-member port
#    (add-bond with one member, or a bond that del-member left with one) says Individual, and
#    its peer re-selects. Keep at least two members where aggregation matters.
#  - Checksums: between two OVS instances TCP works with every offload left on: the internal
#    port is a tap with tx-checksumming off, so the stack finishes checksums before OVS reads
#    the frames. But a kernel endpoint whose veth has tx checksumming on (the default) hands
#    OVS CHECKSUM_PARTIAL frames: OVS reads them with AF_PACKET and forwards the unfinished
#    checksum as is, so TCP to OVS's internal port fails (SYNs arrive "cksum incorrect"; ICMP
#    works). Measured with a plain veth (no lagbpf) and with lagbpf's members alike; fixed by
#    `ethtool -K <peer veth> tx off` on the kernel side (DESIGN.md's tip; test_ovs_interop.sh).

# shellcheck disable=SC2015 # "A && B || die": die unless both hold, as meant
set -euo pipefail

PROG=${0##*/}
SCHEMA=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}
MARKER=.ovs-partner	# a DIR without this file was not made by us: never removed

usage() {
	cat <<EOF
usage:
  $PROG start --netns NS --dir DIR --bond NAME --members IF1,IF2[,..]
        [--lacp active|passive] [--rate fast|slow] [--sys-id MAC] [--sys-prio N]
        [--bond-mode balance-tcp|balance-slb|active-backup] [--addr CIDR] [--bridge BR]
      start ovsdb-server and ovs-vswitchd (userspace datapath) in netns NS with all state in
      DIR (must not exist or be empty), a bridge BR (default br-lacp) with an LACP bond NAME on
      the members, and BR's internal port up in NS with address CIDR when given.
      Defaults: --lacp active --rate slow --bond-mode balance-tcp, OVS's own system id and
      priority. A failed start stops what it started and removes DIR.
  $PROG add-bond --dir DIR --bond NAME --members IF[,..] [--lacp ..] [--rate ..] [--sys-id MAC]
        [--sys-prio N] [--bond-mode ..] [--bridge BR2]
      add another LACP port, to the first bridge or to bridge BR2 (made if missing, no address).
      One member is allowed (e.g. to show another system id), but OVS then clears its
      Aggregation bit: the port is Individual. Two bonds on one bridge are switched to each
      other (no STP): fine facing lagbpf, a loop if the far side is a switch too (use BR2)
  $PROG del-member --dir DIR --bond NAME --member IF
      remove IF from the bond; IF stays up (its carrier stays up, it just stops speaking LACP).
      Leave at least two members, or the last one turns Individual and its peer re-selects
  $PROG wait --dir DIR --bond NAME [--timeout SECS] [--members N]
      poll "lacp/show NAME" until negotiated: N members (default: all) current, attached and
      synchronized on both sides. Exit 0 and print the time taken, or 1 and the lacp/show output
  $PROG show --dir DIR [--bond NAME]
      print "lacp/show" and "bond/show" (all bonds without --bond)
  $PROG members --dir DIR --bond NAME
      one line per member of the LACP port, for tests to match, e.g.
        b0 rx=current attach=attached enabled=1 port_id=3 actor=activity,timeout,aggregation,...
           partner=aggregation,synchronized,... partner_sys=02:00:00:00:00:01 partner_port=1
      rx is OVS's Receive state (current|expired|defaulted), attach its Selection
      (attached|detached), enabled its bond's view ("may carry traffic": 1, 0, or - for a
      one-member port, which has no bond/show), port_id OVS's own LACP port number for it,
      actor/partner the state bits OVS prints. OVS keys a bond by its lowest member port_id
      ("aggregation key" in show): del-member of that member re-keys all the others
  $PROG stop --dir DIR
      stop every process started for DIR, delete its tap devices, remove DIR. Idempotent.
  $PROG help
EOF
}

die() {
	echo "$PROG: $*" >&2
	exit 1
}

# ---- option parsing ------------------------------------------------------------------------

NETNS='' DIR='' BOND='' MEMBERS='' MEMBER='' LACP=active RATE=slow SYSID='' SYSPRIO='' ADDR=''
BRIDGE='' BONDMODE=balance-tcp TIMEOUT=10 NWANT=''

parse_opts() {
	while [ $# -gt 0 ]; do
		case $1 in
		-h | --help) usage; exit 0 ;;
		--*) [ $# -ge 2 ] || die "option $1 needs a value" ;;
		*) die "unexpected argument '$1' (try '$PROG help')" ;;
		esac
		case $1 in
		--netns) NETNS=$2 ;;
		--dir) DIR=$2 ;;
		--bond) BOND=$2 ;;
		--members) MEMBERS=$2 ;;
		--member) MEMBER=$2 ;;
		--lacp) LACP=$2 ;;
		--rate) RATE=$2 ;;
		--sys-id) SYSID=$2 ;;
		--sys-prio) SYSPRIO=$2 ;;
		--bond-mode) BONDMODE=$2 ;;
		--addr) ADDR=$2 ;;
		--bridge) BRIDGE=$2 ;;
		--timeout) TIMEOUT=$2 ;;
		--members-up | --n) NWANT=$2 ;;
		*) die "unknown option '$1' (try '$PROG help')" ;;
		esac
		shift 2
	done
}

need() {
	local opt
	for opt; do
		case $opt in
		netns) [ -n "$NETNS" ] || die "--netns is required" ;;
		dir) [ -n "$DIR" ] || die "--dir is required" ;;
		bond) [ -n "$BOND" ] || die "--bond is required" ;;
		members) [ -n "$MEMBERS" ] || die "--members is required" ;;
		member) [ -n "$MEMBER" ] || die "--member is required" ;;
		esac
	done
}

check_bond_opts() {
	case $LACP in active | passive) ;; *) die "--lacp must be active or passive" ;; esac
	case $RATE in fast | slow) ;; *) die "--rate must be fast or slow" ;; esac
	case $BONDMODE in
	balance-tcp | balance-slb | active-backup) ;;
	*) die "--bond-mode must be balance-tcp, balance-slb or active-backup" ;;
	esac
	if [ -n "$SYSID" ]; then
		[[ $SYSID =~ ^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$ ]] ||
			die "--sys-id must be a MAC address"
	fi
	if [ -n "$SYSPRIO" ]; then
		[[ $SYSPRIO =~ ^[0-9]+$ ]] && [ "$SYSPRIO" -ge 1 ] && [ "$SYSPRIO" -le 65535 ] ||
			die "--sys-prio must be 1..65535"
	fi
	[[ $MEMBERS =~ ^[^,[:space:]]+(,[^,[:space:]]+)*$ ]] || die "bad --members '$MEMBERS'"
}

# ---- private OVS environment -----------------------------------------------------------------

# Absolute DIR, and every OVS tool pointed at it: the env vars cover defaults we do not pass
# explicitly (OVS_SYSCONFDIR also keeps ovs-vswitchd off /etc/openvswitch).
setup_env() {
	case $DIR in /*) ;; *) DIR=$PWD/$DIR ;; esac
	DIR=${DIR%/}
	[ -n "$DIR" ] && [ "$DIR" != / ] || die "refusing --dir /"
	export OVS_RUNDIR=$DIR OVS_LOGDIR=$DIR OVS_DBDIR=$DIR OVS_SYSCONFDIR=$DIR
	export OVS_PKGDATADIR=${OVS_PKGDATADIR:-/usr/share/openvswitch}
	export OVS_BINDIR=${OVS_BINDIR:-/usr/bin}
}

vsctl() {
	ovs-vsctl --db="unix:$DIR/db.sock" --timeout=10 "$@"
}

appctl() {
	ovs-appctl -t "$DIR/ovs-vswitchd.ctl" --timeout=5 "$@"
}

load_state() {
	[ -f "$DIR/$MARKER" ] || die "$DIR is not a running ovs-partner dir"
	# shellcheck source=/dev/null # DIR/state is written at run time by start
	. "$DIR/state"
	[ -S "$DIR/db.sock" ] && [ -S "$DIR/ovs-vswitchd.ctl" ] || die "OVS in $DIR is not running"
}

# in_ns CMD...: run in the partner's namespace. `ip netns exec` gives OVS a /sys that matches the
# namespace (it reads /sys/class/net); OVS needs no bpffs, so its private mounts do not matter.
in_ns() {
	ip netns exec "$NETNS" "$@"
}

# ---- processes -------------------------------------------------------------------------------

# True if PID is alive (not a zombie) and was started with our pidfile argument, so a recycled
# PID of somebody else's process is never signalled.
is_ours() {
	local pid=$1 daemon=$2 st
	[ -r "/proc/$pid/cmdline" ] || return 1
	st=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 1
	[ "$st" != Z ] || return 1
	grep -qzxF -- "--pidfile=$DIR/$daemon.pid" "/proc/$pid/cmdline" 2>/dev/null
}

# All live processes started for DIR (by pidfile, then by their exact pidfile argument in case
# a daemon died before writing it or the file is gone).
our_pids() {
	local daemon=$1 pid
	{
		[ -f "$DIR/$daemon.pid" ] && cat "$DIR/$daemon.pid"
		grep -lzxF -- "--pidfile=$DIR/$daemon.pid" /proc/[0-9]*/cmdline |
			awk -F/ '{ print $3 }'
	} 2>/dev/null | sort -u | while read -r pid; do
		[[ $pid =~ ^[0-9]+$ ]] && is_ours "$pid" "$daemon" && echo "$pid"
	done
	return 0
}

stop_daemon() {
	local daemon=$1 pids pid i
	pids=$(our_pids "$daemon")
	[ -n "$pids" ] || return 0
	for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
	for ((i = 0; i < 50; i++)); do
		pids=$(our_pids "$daemon")
		[ -n "$pids" ] || return 0
		sleep 0.1
	done
	for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
	for ((i = 0; i < 20; i++)); do
		[ -n "$(our_pids "$daemon")" ] || return 0
		sleep 0.1
	done
	echo "$PROG: could not stop $daemon ($pids)" >&2
	return 1
}

# Delete the tap devices (persistent, see the header) that this DIR's ovs-vswitchd made. Only
# names recorded in DIR/taps, and only if they are still tun devices in our namespace.
delete_taps() {
	local tap info
	[ -f "$DIR/taps" ] && [ -n "$NETNS" ] || return 0
	[ -e "/run/netns/$NETNS" ] || return 0
	sort -u "$DIR/taps" | while read -r tap; do
		[ -n "$tap" ] || continue
		info=$(ip -n "$NETNS" -d link show dev "$tap" 2>/dev/null) || continue
		if grep -qw tun <<<"$info"; then
			ip -n "$NETNS" link del dev "$tap" 2>/dev/null || true
		fi
	done
}

restore_members() {
	local m
	[ -f "$DIR/members" ] && [ -n "$NETNS" ] && [ -e "/run/netns/$NETNS" ] || return 0
	# shellcheck disable=SC2013 # one name per line, no spaces
	for m in $(awk '{ print $1 }' "$DIR/members"); do
		restore_member "$m" || true
	done
}

do_stop() {
	local rc=0
	need dir
	setup_env
	[ -e "$DIR" ] || return 0
	if [ ! -f "$DIR/$MARKER" ]; then
		# Not ours (or not an ovs-partner dir at all): never rm -rf it.
		rmdir "$DIR" 2>/dev/null && return 0
		die "$DIR was not made by $PROG, not removing it"
	fi
	NETNS=
	# shellcheck source=/dev/null # DIR/state is written at run time by start
	[ -f "$DIR/state" ] && . "$DIR/state"
	# Graceful first: --cleanup closes the datapath and its ports, which un-persists the taps.
	if [ -S "$DIR/ovs-vswitchd.ctl" ] && [ -n "$(our_pids ovs-vswitchd)" ]; then
		ovs-appctl -t "$DIR/ovs-vswitchd.ctl" --timeout=5 exit --cleanup >/dev/null 2>&1 ||
			true
	fi
	stop_daemon ovs-vswitchd || rc=1
	stop_daemon ovsdb-server || rc=1
	delete_taps
	restore_members
	[ $rc -eq 0 ] || die "processes left running, keeping $DIR"
	rm -rf -- "$DIR"
}

# ---- bonds -----------------------------------------------------------------------------------

check_members() {
	local m
	for m in ${MEMBERS//,/ }; do
		ip -n "$NETNS" link show dev "$m" >/dev/null 2>&1 ||
			die "member $m does not exist in netns $NETNS"
	done
}

# Take the members away from the namespace's own IP stack while OVS owns them. The stack still
# sees every frame on them: with arp_ignore=0 (weak host model) it answers ARP for the bridge's
# address on a member, with the member's MAC, and the peer may learn that MAC; then only flows
# hashed onto that one member get through (measured: ping or TCP failed in 3 of 4 runs). So:
# "arp off" (arp_rcv drops on IFF_NOARP) and no IPv6 (no link-local, DAD or ND on members).
# The old settings go to DIR/members and are put back by del-member and stop. Members are set up
# too, so that OVS, which may restore the flags it found when it lets one go, leaves them up.
isolate_members() {
	local m info noarp promisc v6
	for m in ${MEMBERS//,/ }; do
		info=$(ip -n "$NETNS" -o link show dev "$m")
		noarp=0 promisc=0
		[[ $info == *NOARP* ]] && noarp=1
		[[ $info == *PROMISC* ]] && promisc=1
		v6=$(in_ns sysctl -n "net.ipv6.conf.$m.disable_ipv6" 2>/dev/null) || v6=-
		echo "$m $noarp $promisc $v6" >>"$DIR/members"
		ip -n "$NETNS" link set dev "$m" arp off up
		[ "$v6" = - ] || in_ns sysctl -qw "net.ipv6.conf.$m.disable_ipv6=1"
	done
}

# restore_member IF: undo isolate_members for IF (if it still exists), forget it.
restore_member() {
	local m=$1 name noarp promisc v6 rest
	[ -f "$DIR/members" ] || return 0
	while read -r name noarp promisc v6; do
		[ "$name" = "$m" ] || continue
		ip -n "$NETNS" link show dev "$m" >/dev/null 2>&1 || break
		[ "$noarp" = 1 ] || ip -n "$NETNS" link set dev "$m" arp on
		# OVS sets IFF_PROMISC and, killed or cleaned up, does not always clear it.
		[ "$promisc" = 1 ] || ip -n "$NETNS" link set dev "$m" promisc off
		[ "$v6" = - ] || in_ns sysctl -qw "net.ipv6.conf.$m.disable_ipv6=$v6"
		ip -n "$NETNS" link set dev "$m" up
	done <"$DIR/members"
	rest=$(awk -v m="$m" '$1 != m' "$DIR/members")
	if [ -n "$rest" ]; then echo "$rest" >"$DIR/members"; else : >"$DIR/members"; fi
}

# One ovs-vsctl transaction creating port BOND with its interfaces. add-bond refuses a single
# interface, but a one-interface port with lacp set is a valid LACP port in OVS, so build the
# rows directly. lacp-time=fast sets our actor's LACP_Timeout bit (asks the peer to send fast).
add_bond_port() {
	local m n=0 ids='' args=()
	for m in ${MEMBERS//,/ }; do
		n=$((n + 1))
		args+=(-- "--id=@i$n" create interface name="$m")
		ids=${ids:+$ids,}@i$n
	done
	args+=(-- --id=@p create port name="$BOND" "interfaces=[$ids]" lacp="$LACP"
		bond_mode="$BONDMODE" other_config:lacp-time="$RATE")
	[ -n "$SYSID" ] && args+=(other_config:lacp-system-id="$SYSID")
	[ -n "$SYSPRIO" ] && args+=(other_config:lacp-system-priority="$SYSPRIO")
	args+=(-- add bridge "$BRIDGE" ports @p)
	vsctl "${args[@]}" >/dev/null
}

START_OK=0
start_cleanup() {
	if [ $START_OK -eq 0 ]; then
		echo "$PROG: start failed; log tail:" >&2
		tail -n 20 "$DIR/ovs-vswitchd.log" "$DIR/ovsdb-server.log" >&2 2>/dev/null || true
		do_stop || true
	fi
}

do_start() {
	need netns dir bond members
	check_bond_opts
	setup_env
	BRIDGE=${BRIDGE:-br-lacp}
	[ ${#BRIDGE} -le 15 ] || die "--bridge name '$BRIDGE' is longer than 15 characters"
	# Not piped into grep -q: with pipefail an early-closing grep can fail the pipeline.
	[[ $NETNS != */* ]] && [ -e "/run/netns/$NETNS" ] || die "no netns '$NETNS'"
	if [ -e "$DIR" ]; then
		[ -d "$DIR" ] && [ -z "$(ls -A "$DIR")" ] || die "$DIR exists and is not empty"
	fi
	check_members
	mkdir -p "$DIR"
	touch "$DIR/$MARKER"
	trap start_cleanup EXIT
	printf 'NETNS=%q\nBRIDGE=%q\n' "$NETNS" "$BRIDGE" >"$DIR/state"
	printf '%s\n' ovs-netdev "$BRIDGE" >"$DIR/taps"
	isolate_members

	ovsdb-tool create "$DIR/conf.db" "$SCHEMA"
	# -vconsole:off must come before --log-file, or "opened log file" still goes to stderr.
	in_ns ovsdb-server "$DIR/conf.db" --remote="punix:$DIR/db.sock" \
		--pidfile="$DIR/ovsdb-server.pid" --unixctl="$DIR/ovsdb-server.ctl" \
		-vconsole:off --log-file="$DIR/ovsdb-server.log" --detach --no-chdir
	vsctl --no-wait init
	# Keep OVS from guessing a hostname/system-id from /etc; none are needed.
	vsctl --no-wait set open_vswitch . external_ids:system-id=ovs-partner
	in_ns ovs-vswitchd "unix:$DIR/db.sock" \
		--pidfile="$DIR/ovs-vswitchd.pid" --unixctl="$DIR/ovs-vswitchd.ctl" \
		-vconsole:off --log-file="$DIR/ovs-vswitchd.log" --detach --no-chdir
	# Without --no-wait ovs-vsctl returns once ovs-vswitchd applied the change (tap exists).
	vsctl add-br "$BRIDGE" -- set bridge "$BRIDGE" datapath_type=netdev \
		fail_mode=standalone
	add_bond_port
	if [ -n "$ADDR" ]; then
		ip -n "$NETNS" addr add "$ADDR" dev "$BRIDGE"
	fi
	ip -n "$NETNS" link set dev "$BRIDGE" up
	START_OK=1
	trap - EXIT
	echo "ovs-partner: started in netns $NETNS, dir $DIR, bridge $BRIDGE, bond $BOND" \
		"($MEMBERS, lacp $LACP, rate $RATE)"
}

do_add_bond() {
	local br=$BRIDGE
	need dir bond members
	check_bond_opts
	setup_env
	load_state
	# Another bridge keeps the new port from forwarding to the first bond: two OVS instances
	# with two bonds on one bridge each would form an L2 loop (standalone, no STP).
	BRIDGE=${br:-$BRIDGE}
	[ ${#BRIDGE} -le 15 ] || die "--bridge name '$BRIDGE' is longer than 15 characters"
	check_members
	if ! vsctl br-exists "$BRIDGE"; then
		echo "$BRIDGE" >>"$DIR/taps"
		vsctl add-br "$BRIDGE" -- set bridge "$BRIDGE" datapath_type=netdev \
			fail_mode=standalone
		ip -n "$NETNS" link set dev "$BRIDGE" up
	fi
	isolate_members
	add_bond_port
	echo "ovs-partner: added bond $BOND ($MEMBERS) to $BRIDGE"
}

do_del_member() {
	local uuid ifaces
	need dir bond member
	setup_env
	load_state
	ifaces=$(vsctl get port "$BOND" interfaces)
	uuid=$(vsctl get interface "$MEMBER" _uuid) || die "no interface $MEMBER in OVS"
	[[ $ifaces == *"$uuid"* ]] || die "$MEMBER is not a member of $BOND"
	[ "$ifaces" != "[$uuid]" ] || die "$MEMBER is the last member of $BOND"
	vsctl remove port "$BOND" interfaces "$uuid"
	# Back to the stack as it was, and up in any case: the carrier must stay.
	restore_member "$MEMBER"
	echo "ovs-partner: removed $MEMBER from $BOND"
}

do_show() {
	need dir
	setup_env
	load_state
	if [ -n "$BOND" ]; then
		appctl lacp/show "$BOND"
		appctl bond/show "$BOND" 2>/dev/null || true	# not a bond with one member
	else
		appctl lacp/show
		appctl bond/show
	fi
}

do_members() {
	local lacp bond
	need dir bond
	setup_env
	load_state
	lacp=$(appctl lacp/show "$BOND")
	bond=$(appctl bond/show "$BOND" 2>/dev/null) || bond=''
	awk -v bond="$bond" '
		BEGIN {
			n = split(bond, l, "\n")
			for (i = 1; i <= n; i++)
				if (l[i] ~ /^member [^ ]+: (enabled|disabled)/) {
					split(l[i], w, /[ :]+/)
					en[w[2]] = (w[3] == "enabled")
				}
		}
		function words(s) { sub(/^[^:]*: */, "", s); gsub(/ +/, ",", s); return s }
		function flush() {
			if (name == "")
				return
			e = (name in en) ? en[name] : "-"
			printf "%s rx=%s attach=%s enabled=%s port_id=%s actor=%s partner=%s partner_sys=%s partner_port=%s\n",
				name, rx, att, e, pid, as, ps, psys, pport
			name = ""
		}
		/^member: / {
			flush()
			name = $2; sub(/:$/, "", name); rx = $3; att = $4
			as = ps = psys = pport = pid = "-"
		}
		/^  port_id:/ { pid = $2 }
		/^  actor state:/ { as = words($0) }
		/^  partner state:/ { ps = words($0) }
		/^  partner sys_id:/ { psys = $3 }
		/^  partner port_id:/ { pport = $3 }
		END { flush() }
	' <<<"$lacp"
}

# Reads lacp/show output for one port; prints "<ok members> <all members>". A member counts
# when the port status says negotiated, the member line says "current attached" (Receive
# machine CURRENT, Selection attached) and both actor and partner state carry synchronized.
count_negotiated() {
	awk '
		function flush() {
			if (name != "") {
				total++
				if (cur && att && async && psync) ok++
			}
			name = ""
		}
		/^  status:/ { neg = ($0 ~ /negotiated/) }
		/^member: / {
			flush()
			name = $2; cur = ($0 ~ / current/); att = ($0 ~ / attached/)
			async = psync = 0
		}
		/^  actor state:/ { async = ($0 ~ / synchronized/) }
		/^  partner state:/ { psync = ($0 ~ / synchronized/) }
		END { flush(); if (!neg) ok = 0; printf "%d %d\n", ok, total }
	'
}

do_wait() {
	local t0 now out ok total want deadline
	need dir bond
	setup_env
	load_state
	[[ $TIMEOUT =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--timeout must be a number of seconds"
	[ -z "$NWANT" ] || [[ $NWANT =~ ^[0-9]+$ ]] || die "--members must be a number"
	t0=$(date +%s.%N)
	deadline=$(awk -v a="$t0" -v b="$TIMEOUT" 'BEGIN { printf "%.3f", a + b }')
	while :; do
		out=$(appctl lacp/show "$BOND" 2>&1) || out="lacp/show failed: $out"
		read -r ok total < <(count_negotiated <<<"$out")
		want=${NWANT:-$total}
		[ "$want" -ge 1 ] || want=1
		if [ "$ok" -ge "$want" ]; then
			now=$(date +%s.%N)
			awk -v a="$t0" -v b="$now" -v ok="$ok" -v t="$total" -v bond="$BOND" \
				'BEGIN { printf "ovs-partner: %s negotiated (%d/%d members) after %.3f s\n", bond, ok, t, b - a }'
			return 0
		fi
		now=$(date +%s.%N)
		if awk -v a="$now" -v b="$deadline" 'BEGIN { exit !(a >= b) }'; then
			echo "ovs-partner: $BOND not negotiated after ${TIMEOUT}s" \
				"($ok/$total members, want $want):"
			echo "$out"
			return 1
		fi
		sleep 0.05
	done
}

# ---- main ------------------------------------------------------------------------------------

[ $# -ge 1 ] || { usage >&2; exit 2; }
VERB=$1
shift
# "wait --members N" is a count, not a list: rename it before the generic parser sees it.
if [ "$VERB" = wait ]; then
	args=()
	while [ $# -gt 0 ]; do
		if [ "$1" = --members ] && [ $# -ge 2 ]; then
			args+=(--members-up "$2")
			shift 2
		else
			args+=("$1")
			shift
		fi
	done
	set -- "${args[@]+"${args[@]}"}"
fi
parse_opts "$@"
[ "$(id -u)" -eq 0 ] || [ "$VERB" = help ] || die "must run as root"

case $VERB in
start) do_start ;;
add-bond) do_add_bond ;;
del-member) do_del_member ;;
wait) do_wait ;;
show) do_show ;;
members) do_members ;;
stop) do_stop ;;
help | -h | --help) usage ;;
*) usage >&2; exit 2 ;;
esac
