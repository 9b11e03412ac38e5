# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Against member count (scale.dat -> scale.png): per-packet cost of each
# program, LACP/static convergence, and failover (cut -> table switched).
set terminal pngcairo size 1200,480 noenhanced
set output 'scale.png'
set multiplot layout 1,3 title 'lagbpf against member count (one run, shared 2-vCPU VM)'
set logscale x 2
set xrange [1.5:90]
set xtics (2, 8, 32, 64)
set xlabel 'members'
set grid
set key below
set yrange [0:*]
set title 'ns per packet (BPF_PROG_TEST_RUN, IPv4/UDP)'
plot 'scale.dat' using 1:2 with linespoints lw 2 title 'lag_tx', \
     '' using 1:3 with linespoints lw 2 title 'lag_rx', \
     '' using 1:4 with linespoints lw 2 title 'lag_xdp'
set title 'convergence: 2nd attach -> all distributing (ms)'
plot 'scale.dat' using 1:5 with linespoints lw 2 title 'static', \
     '' using 1:6 with linespoints lw 2 title 'LACP fast, aggregate wait 0', \
     '' using 1:7 with linespoints lw 2 title 'LACP fast, default 2000 ms'
set title 'failover: cut -> table switched (ms, median)'
plot 'scale.dat' using 1:8 with linespoints lw 2 title 'static', \
     '' using 1:9 with linespoints lw 2 title 'LACP fast, aw 0', \
     '' using 1:10 with linespoints lw 2 title 'LACP fast, aw 2000'
unset multiplot
