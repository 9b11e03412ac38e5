#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# `make check`: the folders of user/ are layers and includes go downward only
# (docs/architecture.md). Each layer lists the layers it may include; the pure
# layers (lacp, conf, event) include no system layer. Prints every violation.
set -u
cd "$(dirname "$0")/.." || exit 1

declare -A may=(
	[cli]="cli daemon lag conf lacp event sys"
	[daemon]="daemon lag conf lacp event sys"
	[lag]="lag conf sys"
	[sys]="sys"
	[conf]="conf"
	[lacp]="lacp"
	[event]="event"
)
bad=0
for dir in user/*/; do
	layer=$(basename "$dir")
	if [ -z "${may[$layer]+x}" ]; then
		echo "check-layers: user/$layer is not a known layer (add it to ${BASH_SOURCE[0]} and docs/architecture.md)"
		bad=1
		continue
	fi
	while IFS=: read -r file line inc; do
		target=${inc%%/*}
		case " ${may[$layer]} " in
		*" $target "*) ;;
		*)
			echo "check-layers: $file:$line: $layer includes $inc (allowed: ${may[$layer]})"
			bad=1
			;;
		esac
	done < <(grep -HnoE '^#include "[a-z_]+/[^"]+"' "$dir"*.[ch] |
		sed -E 's/#include "([^"]+)"/\1/' | grep -v ':lagbpf/')
	# Layer-less includes ("foo.h") hide where a header lives.
	if grep -nE '^#include "[^/"]+\.h"' "$dir"*.[ch] | grep -v '\.skel\.h"'; then
		echo "check-layers: user/$layer: include headers by their folder (\"sys/log.h\")"
		bad=1
	fi
done
[ "$bad" = 0 ] && echo "check-layers: includes go downward only"
exit "$bad"
