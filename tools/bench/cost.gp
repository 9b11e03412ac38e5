# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Per-packet cost over an empty program of the same type (cost.dat -> cost.png).
set terminal pngcairo size 900,450 noenhanced
set output 'cost.png'
set title 'lagbpf BPF programs: ns per packet over an empty program (BPF_PROG_TEST_RUN, median)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'ns / packet over empty'
set yrange [0:*]
set grid ytics
set key top left
plot 'cost.dat' using 2:xtic(1) title 'lag_tx (TC egress, LAG)', \
     '' using 3 title 'lag_rx (TC ingress, member)', \
     '' using 4 title 'lag_xdp (XDP, member)'
