# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Equal UDP flows, for tests of the egress balance: udpflows.py DST PORT
FIRST_SPORT N SECONDS PPS sends PPS datagrams a second on each of N flows
(source ports FIRST_SPORT .. FIRST_SPORT+N-1, 200-byte payloads) to DST:PORT
for SECONDS, round robin, so every flow carries the same load. Prints
"sent TOTAL" at the end.
"""
import socket
import sys
import time


def main(args):
    if len(args) != 6:
        sys.exit("usage: udpflows.py DST PORT FIRST_SPORT N SECONDS PPS")
    dst, port, first, n, secs, pps = args[0], int(args[1]), int(args[2]), int(args[3]), float(args[4]), int(args[5])
    socks = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("", first + i))
        s.connect((dst, port))
        socks.append(s)
    payload = b"\0" * 200
    period = 1.0 / pps
    sent = 0
    start = time.monotonic()
    tick = start
    while time.monotonic() - start < secs:
        for s in socks:
            try:
                s.send(payload)
                sent += 1
            except OSError:
                pass  # no route or refused for a moment: the flow goes on
        tick += period
        delay = tick - time.monotonic()
        if delay > 0:
            time.sleep(delay)
    print("sent", sent, flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
