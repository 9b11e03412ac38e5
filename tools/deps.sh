#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Installs every Debian package lagbpf needs to build, test, demo, bench and
# package (make deb).
# Idempotent: installs only what is missing. --check-or-install is the same,
# quiet when nothing is missing.
set -euo pipefail
PKGS=(clang llvm make gcc pkg-config libbpf-dev libxdp-dev bpftool libelf-dev zlib1g-dev
      libmnl-dev libjson-c-dev libcmocka-dev iproute2 ethtool iperf3 tcpdump tshark
      python3-scapy xdp-tools jq util-linux procps iputils-ping openvswitch-switch gnuplot-nox
      clang-format shellcheck libclang-rt-14-dev python3-prometheus-client
      dpkg-dev debhelper lintian)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	[ "${1:-}" = --check-or-install ] || echo "deps: all ${#PKGS[@]} packages present"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing ${missing[*]}; run 'make deps' as root" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, without a prompt
echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
