# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Failover: CDF over trials of cut -> table switched, and of the loss window
# seen by a receiver (failover.dat -> failover.png).
set terminal pngcairo size 900,560 noenhanced
set output 'failover.png'
set title 'Failover after a member carrier cut (CDF over trials)'
set xlabel 'ms after the cut'
set ylabel 'fraction of trials'
set logscale x
set xrange [0.01:*]
set yrange [0:1.02]
set grid
set key below
set arrow from 20, graph 0 to 20, graph 1 nohead dt 2 lc rgb 'red'
set label 'target 20 ms' at 21, graph 0.5 tc rgb 'red'
plot 'failover.dat' using 2:1 with steps lw 2 title 'table switched, distinct ifindexes', \
     '' using 4:1 with steps lw 2 title 'table switched, equal ifindexes (linkwatch delay)', \
     '' using ($3 > 0 ? $3 : 0.01):1 with steps lw 2 dt 2 title 'loss window, distinct ifindexes', \
     '' using ($5 > 0 ? $5 : 0.01):1 with steps lw 2 dt 2 title 'loss window, equal ifindexes'
