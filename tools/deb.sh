#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# make deb: build the Debian package and check it. dpkg-buildpackage writes
# its products into the parent of the source folder, so it runs on a copy of
# the tree under $O/deb (the tree and its build/ stay untouched; the copy
# checks that the package neither touches a build/ nor leaves files after
# its clean). Then
# lintian (errors and warnings fail), the dependencies resolved against this machine's
# archive (apt-get --simulate), and the package unpacked into a clean root,
# where every file it must ship is checked and its lagbpf runs `version`.
# Nothing is installed on the host. Prints one closing line.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${O:-build}/deb
version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg --print-architecture)
src="$out/lagbpf-$version"
deb="$out/lagbpf_${version}_$arch.deb"
log="$out/build.log"

rm -rf "$out"
mkdir -p "$src"
# The tracked files as they are now (modified ones included), or, outside
# git, the tree without its build products.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	# (a tracked file deleted in the work tree is left out)
	git ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [ ! -e "$f" ] || printf '%s\0' "$f"; done |
		xargs -0 cp --parents -t "$src"
else
	tar -C . --exclude="./${O:-build}" --exclude=./.git -cf - . | tar -C "$src" -xf -
fi
# A build/ of the tree's own, as `make` leaves it: the package build must
# neither use nor touch it, and its clean must leave the tree as it was.
mkdir -p "$src/build"
echo 'the tree'"'"'s own build products' >"$src/build/sentinel"
(cd "$src" && find . -path ./build -prune -o -print | sort) >"$out/tree.before"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b && debian/rules clean) >"$log" 2>&1; then
	tail -n 40 "$log" >&2
	echo "deb: dpkg-buildpackage failed (log: $log)" >&2
	exit 1
fi
if [ ! -s "$src/build/sentinel" ] || [ -n "$(find "$src/build" -newer "$src/build/sentinel")" ]; then
	echo "deb: the package build touched the tree's build/" >&2
	exit 1
fi
(cd "$src" && find . -path ./build -prune -o -print | sort) >"$out/tree.after"
diff "$out/tree.before" "$out/tree.after" >&2 ||
	{ echo "deb: debian/rules clean left the tree changed (above)" >&2; exit 1; }
[ -f "$deb" ] || { echo "deb: no $deb" >&2; exit 1; }

if command -v lintian >/dev/null; then
	lint=0
	lintian --fail-on error,warning "$out/lagbpf_${version}_$arch.changes" >"$out/lintian.log" 2>&1 ||
		lint=$?
	grep -v '^running with root privileges' "$out/lintian.log" >&2 || true
	[ "$lint" = 0 ] || { echo "deb: lintian found errors or warnings" >&2; exit 1; }
fi

# Its Depends resolve here (no install: --simulate).
apt-get --simulate install "./$deb" >"$out/apt.log" 2>&1 ||
	{ cat "$out/apt.log" >&2; echo "deb: its dependencies do not resolve" >&2; exit 1; }

root="$out/root"
dpkg-deb -x "$deb" "$root"
for f in usr/sbin/lagbpf lib/systemd/system/lagbpf@.service etc/lagbpf/lag0.conf.example \
	usr/share/man/man8/lagbpf.8.gz usr/share/man/man5/lagbpf.conf.5.gz \
	usr/share/bash-completion/completions/lagbpf usr/share/doc/lagbpf/copyright; do
	[ -s "$root/$f" ] || { echo "deb: the package lacks /$f" >&2; exit 1; }
done
grep -qx 'ExecStart=/usr/sbin/lagbpf attach --config /etc/lagbpf/%i.conf' \
	"$root/lib/systemd/system/lagbpf@.service" ||
	{ echo "deb: the unit does not run /usr/sbin/lagbpf" >&2; exit 1; }
dpkg-deb -f "$deb" Conffiles 2>/dev/null | grep -q ' /etc/lagbpf/lag0.conf.example ' ||
	dpkg-deb -I "$deb" conffiles | grep -qx /etc/lagbpf/lag0.conf.example ||
	{ echo "deb: the example configuration is no conffile" >&2; exit 1; }
if command -v systemd-analyze >/dev/null; then
	sed "s|/usr/sbin/lagbpf|$PWD/$root/usr/sbin/lagbpf|g" \
		"$root/lib/systemd/system/lagbpf@.service" >"$out/lagbpf@lag0.service"
	systemd-analyze verify --man=no "$out/lagbpf@lag0.service" ||
		{ echo "deb: systemd-analyze verify fails on the packaged unit" >&2; exit 1; }
fi
got=$("$root/usr/sbin/lagbpf" version) || { echo "deb: the packaged lagbpf does not run" >&2; exit 1; }
head -n 1 <<<"$got" | grep -qx "lagbpf $version" ||
	{ echo "deb: the packaged lagbpf says '$(head -n 1 <<<"$got")', not lagbpf $version" >&2; exit 1; }
echo "deb: $deb ($(du -k "$deb" | cut -f1) KiB): lintian clean, dependencies resolve, unpacked lagbpf runs: $(head -n 1 <<<"$got")"
