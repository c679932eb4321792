#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Turns the raw rows of the bench scripts into one Markdown table.
#
#   bench/report.sh RAW [TARGETS]
#
# RAW rows (tab-separated, from bench/lib.sh's measure): group, label,
# repeat, median, min, max, ratio of medians, median paired ratio, median
# CPU ms, failed runs, rounds. Every figure is aggregated over its
# repeats: the median of the repeat medians (one noisy repeat cannot move
# it), the min of the mins, the max of the maxes. "noise" is the range of
# the repeat medians as a share of their median: how far a single run of
# the same benchmark could have landed. Ratios are to the first row of
# the group (runc, or `true` for the hook alone); "paired" is the median
# of the per-round ratios, which drift on a shared machine moves least.
# TARGETS rows: group, label, median|ratio, limit. A ratio target is
# judged on the paired ratio of wall times and, separately, on the ratio
# of CPU times: on a loaded machine the wall clock can hide a cost (or
# invent one) that the CPU time still shows. A median target is judged on
# the wall median, with the CPU median beside it.
set -eu
RAW=$1
TARGETS=${2:-/dev/null}

awk -F'\t' '
  function med(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++)            # insertion sort: a handful of repeats
      for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function lo(list,   n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
  function hi(list,   n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
  FNR == NR && FILENAME == ARGV[1] { tgt[$1 SUBSEP $2] = $3 " " $4; next }
  {
    k = $1 SUBSEP $2
    if (!(k in seen)) {
      seen[k] = 1; order[++n] = k; grp[k] = $1; lab[k] = $2
      if (!($1 in first)) first[$1] = $2
    }
    meds[k] = meds[k] " " $4; mins[k] = mins[k] " " $5; maxs[k] = maxs[k] " " $6
    rat[k] = rat[k] " " $7; pair[k] = pair[k] " " $8; cpu[k] = cpu[k] " " $9
    runs[k] += $11; reps[k]++
    if ($2 == first[$1]) basecpu[$1] = basecpu[$1] " " $9
  }
  END {
    print "| figure | median ms | min ms | max ms | ratio of medians | paired ratio | CPU ms | noise | runs | target |"
    print "|---|---|---|---|---|---|---|---|---|---|"
    last = ""
    for (i = 1; i <= n; i++) {
      k = order[i]; g = grp[k]
      m = med(meds[k])
      noise = (reps[k] > 1 && m > 0) ? sprintf("%.0f%%", (hi(meds[k]) - lo(meds[k])) / m * 100) : "-"
      base = first[g]; sub(/[ ,(].*/, "", base)
      isbase = (lab[k] == first[g])
      r = med(rat[k]); p = med(pair[k])
      rcell = isbase ? "1 (" base ")" : sprintf("%.3f", r)
      pcell = isbase ? "" : sprintf("%.3f", p)
      t = ""
      if (k in tgt) {
        split(tgt[k], tt, " ")
        c = med(cpu[k]); cr = c / med(basecpu[g])
        if (tt[1] == "median")
          t = sprintf("<= %s ms: wall %s, CPU %s", tt[2], (m <= tt[2] + 0) ? "**met**" : "**missed**",
                      (c <= tt[2] + 0) ? "met" : "missed")
        else
          t = sprintf("<= %.2fx: wall %s (%.3f), CPU %s (%.3f)", tt[2], (p <= tt[2] + 0) ? "**met**" : "**missed**",
                      p, (cr <= tt[2] + 0) ? "**met**" : "**missed**", cr)
      }
      printf "| %s%s | %.3f | %.3f | %.3f | %s | %s | %.3f | %s | %d | %s |\n",
        (g != last) ? "**" g "**: " : "", lab[k], m, lo(mins[k]), hi(maxs[k]), rcell, pcell,
        med(cpu[k]), noise, runs[k], t
      last = g
    }
  }
' "$TARGETS" "$RAW"
