#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# The configuration file and the service: `attach --config FILE` gives the LAG
# the file's settings (networkd key names and words), command-line options win
# over the file; bad files are one clear error naming file and line and leave
# nothing behind; the unit passes systemd-analyze verify; `make install` into a
# DESTDIR puts binary, unit, example, man pages and bash completion in place;
# the man pages render, and the completion offers verbs, options and words.
#
#   ns A                      ns B
#   lagc (static) -- a0 ===== b0
#                    a1 ===== b1
#
# shellcheck disable=SC2015 # "A && B || lt_fail": lt_fail unless both hold, as meant
# shellcheck source-path=SCRIPTDIR source=../lib/netns.sh
. "$(dirname "$0")/../lib/netns.sh"
lt_init config_service

lt_ns A a; lt_ns B b
for i in 0 1; do lt_veth "$A" a$i "$B" b$i; ip -n "$B" link set b$i up; done
dir=$(mktemp -d "/tmp/lagt-config-XXXXXX")
LT_CLEANUP+=("rm -rf '$dir'")

cat >"$dir/lagc.conf" <<'CONF'
# a static LAG of two
[LAG]
Members=a0 a1
Mode=static
MinLinks=1
TransmitHashPolicy=layer2+3
CONF
LT_LAGS+=("$A lagc")
lt_run "$LAGBPF" -n "$A" attach --config "$dir/lagc.conf" --min-links 2 || lt_fail "attach --config"
lt_wait 5 lt_distributing "$A" lagc 2 || lt_fail "lagc not distributing on 2"
got=$(lt_show "$A" lagc | jq -c '[.lagName, .mode, .hashPolicy, .minimumLinks, [.connections[].connectionName]]')
[ "$got" = '["lagc","static","l23",2,["a0","a1"]]' ] || lt_fail "lagc from the file: $got"
lt_run "$LAGBPF" -n "$A" detach lagc || lt_fail "detach lagc"

# bad FILE PATTERN: attach --config FILE fails with one line matching PATTERN.
bad() {
	local out rc
	out=$("$LAGBPF" -n "$A" attach --config "$1" 2>&1); rc=$?
	lt_log "bad $1: rc=$rc $out"
	[ "$rc" = 1 ] || lt_fail "$1: exit $rc"
	[ "$(wc -l <<<"$out")" = 1 ] && grep -qE -- "$2" <<<"$out" || lt_fail "$1: unclear error: $out"
	! ip -n "$A" link show lagc >/dev/null 2>&1 && [ ! -e "/sys/fs/bpf/lagbpf/netns/$A/lagc" ] ||
		lt_fail "$1 left something"
}
printf '[LAG]\nMembers=a0 a1\nSpeed=10G\n' >"$dir/lagc.conf"
bad "$dir/lagc.conf" 'lagc\.conf:3: unknown key Speed'
printf '[LAG]\nMembers=a0 a1\nMinLinks=3\n' >"$dir/lagc.conf"
bad "$dir/lagc.conf" 'min-links 3 is above the number of members'
printf '[LAG]\nMembers=a0 a1\nLACPTransmitRate=turbo\n' >"$dir/lagc.conf"
bad "$dir/lagc.conf" 'lagc\.conf:3: --rate turbo: expected one of slow, fast'
printf '[Network]\nDHCP=yes\n' >"$dir/lagc.conf"
bad "$dir/lagc.conf" 'lagc\.conf:1: unknown section'
bad "$dir/nope.conf" 'nope\.conf: No such file'

# The unit, generated as make does, and make install into a DESTDIR.
lt_run make -s -C "$LT_ROOT" DESTDIR="$dir/root" PREFIX=/usr install ||
	lt_fail "make install"
for f in usr/sbin/lagbpf etc/systemd/system/lagbpf@.service etc/lagbpf/lag0.conf.example \
	usr/share/man/man8/lagbpf.8 usr/share/man/man5/lagbpf.conf.5; do
	[ -s "$dir/root/$f" ] || lt_fail "make install did not install $f"
done
sed "s|/usr/sbin|$dir/root/usr/sbin|g" "$dir/root/etc/systemd/system/lagbpf@.service" >"$dir/lagbpf@lagc.service"
lt_run systemd-analyze verify --man=no "$dir/lagbpf@lagc.service" || lt_fail "systemd-analyze verify"
for page in "$dir/root/usr/share/man/man8/lagbpf.8" "$dir/root/usr/share/man/man5/lagbpf.conf.5"; do
	out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
	[ -z "$out" ] || lt_fail "man $page: $out"
done
"$dir/root/usr/sbin/lagbpf" version | grep -q '^libbpf .*libxdp' || lt_fail "the installed lagbpf version does not name its libraries"
# Completion: verbs, a verb's options and their words, from the installed file.
comp="$dir/root/usr/share/bash-completion/completions/lagbpf"
[ -s "$comp" ] || lt_fail "no bash completion installed"
complete_words() { # WORDS...: what completing the last word offers
	PATH="$dir/root/usr/sbin:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _lagbpf; echo "${COMPREPLY[*]}"' _ "$comp" "$@"
}
[ "$(complete_words lagbpf de)" = "detach del" ] || lt_fail "completing 'de': $(complete_words lagbpf de)"
[ "$(complete_words lagbpf attach lag0 --min)" = "--min-links" ] || lt_fail "completing --min: $(complete_words lagbpf attach lag0 --min)"
[ "$(complete_words lagbpf set lag0 --hash "")" = "l2 l23 l34 encap34" ] || lt_fail "completing --hash: $(complete_words lagbpf set lag0 --hash "")"
lt_pass
