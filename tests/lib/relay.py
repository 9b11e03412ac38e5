# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""A wire between interfaces, for tests: relay.py A1 B1 [A2 B2 ...] forwards
every frame received on A1 out of B1 and back, for each pair, as a switch
port or a VM's tap would (frames enter the far side through its driver's
receive path, not through XDP of a redirect). Prints "relay up PAIRS..."
once its sockets are bound. Runs until killed.
"""
import select
import socket
import sys

ETH_P_ALL = 3


def main(names):
    if not names or len(names) % 2:
        sys.exit("usage: relay.py A1 B1 [A2 B2 ...]")
    peer = {}
    for a, b in zip(names[0::2], names[1::2]):
        s = []
        for name in (a, b):
            k = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
            k.bind((name, 0))
            s.append(k)
        peer[s[0]], peer[s[1]] = s[1], s[0]
    print("relay up", *names, flush=True)
    while True:
        for k in select.select(list(peer), [], [])[0]:
            try:
                f, addr = k.recvfrom(65535)
            except OSError:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            try:
                peer[k].send(f)
            except OSError:
                pass


if __name__ == "__main__":
    main(sys.argv[1:])
