# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Throughput of LAGs relative to a plain veth pair (tput.dat -> tput.png).
set terminal pngcairo size 1200,520 noenhanced
set output 'tput.png'
set title 'Throughput, LAG / plain veth pair (median of paired per-round ratios)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'ratio to plain veth'
set yrange [0:1.3]
set grid ytics
set key top right
set arrow from graph 0, first 0.97 to graph 1, first 0.97 nohead dt 2 lc rgb 'red'
set arrow from graph 0, first 0.90 to graph 1, first 0.90 nohead dt 3 lc rgb 'orange'
set label 'TCP target 0.97' at graph 0.01, first 0.99 tc rgb 'red'
set label 'UDP target 0.90' at graph 0.01, first 0.87 tc rgb 'orange'
plot 'tput.dat' using 2:xtic(1) title '2 members, skb XDP (default)', \
     '' using 3 title '4 members, skb XDP (default)', \
     '' using 4 title '2 members, native XDP', \
     '' using 5 title '4 members, native XDP', \
     '' using 6 title 'egress hop alone (1-member LAG -> plain)', \
     '' using 7 title 'ingress hop alone (plain -> 1-member LAG)'
