#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Turns the raw rows of the bench scripts into Markdown: the targets with
# met or missed first, then one table per figure with the exact command
# under it.
#
#   bench/report.sh RAW [TARGETS [CMDS]]
#
# RAW rows (tab-separated, from bench/lib.sh's measure): group, label,
# repeat, median, min, max, ratio of medians, median paired ratio, median
# CPU ms, failed runs, rounds, median paired CPU ratio, median paired CPU
# ms added. With several repeats, each figure is the median of the repeat
# medians, the min of the mins, the max of the maxes, and "noise" is the
# range of the repeat medians as a share of their median.
# Ratios are to the first row of the group (runc, or `true` for the hook
# alone), per round: the two commands of a round share the machine's state
# of the moment, which drift on a shared machine moves least.
# TARGETS rows: group, label, kind, limit. Kinds:
#   ratio   the paired wall ratio and, judged apart, the paired CPU ratio:
#           on a loaded machine the wall clock can hide a cost (or invent
#           one) that the CPU time still shows
#   median  the wall median in ms, CPU beside it
#   added   the paired CPU ms added to the first row
# CMDS rows: group, command (from bench/lib.sh's note).
set -eu
RAW=$1
TARGETS=${2:-/dev/null}
CMDS=${3:-/dev/null}

awk -F'\t' '
  function med(list,   n, a, i, j, t) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++)            # insertion sort: a handful of repeats
      for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function lo(list,   n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 < m + 0) m = a[i]; return m }
  function hi(list,   n, a, i, m) { n = split(list, a, " "); m = a[1]; for (i = 2; i <= n; i++) if (a[i] + 0 > m + 0) m = a[i]; return m }
  FILENAME == ARGV[1] { tgt[$1 SUBSEP $2] = $3 " " $4; next }
  FILENAME == ARGV[2] { if (!($1 in cmd)) cmd[$1] = $2; next }
  {
    k = $1 SUBSEP $2
    if (!(k in seen)) {
      seen[k] = 1; order[++n] = k; grp[k] = $1; lab[k] = $2
      if (!($1 in first)) { first[$1] = $2; gorder[++ng] = $1 }
    }
    meds[k] = meds[k] " " $4; mins[k] = mins[k] " " $5; maxs[k] = maxs[k] " " $6
    pair[k] = pair[k] " " $8; cpu[k] = cpu[k] " " $9
    cpair[k] = cpair[k] " " $12; cadd[k] = cadd[k] " " $13
    runs[k] += $11; reps[k]++
  }
  END {
    # Each target, judged.
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (!(k in tgt)) continue
      split(tgt[k], tt, " ")
      m = med(meds[k]); c = med(cpu[k]); p = med(pair[k]); cp = med(cpair[k]); ca = med(cadd[k])
      if (tt[1] == "median") {
        want = sprintf("<= %s ms", tt[2])
        got = sprintf("%.2f ms wall, %.2f ms CPU", m, c)
        ok = (m <= tt[2] + 0) ? "**met**" : "**missed**"
        okc = (c <= tt[2] + 0) ? "met" : "missed"
      } else if (tt[1] == "added") {
        want = sprintf("<= +%s ms CPU", tt[2])
        got = sprintf("%+.2f ms CPU (paired), wall ratio %.3f", ca, p)
        ok = (ca <= tt[2] + 0) ? "**met**" : "**missed**"
        okc = ""
      } else {
        want = sprintf("<= %.2fx", tt[2])
        got = sprintf("%.3f wall, %.3f CPU (paired ratios)", p, cp)
        ok = (p <= tt[2] + 0) ? "**met**" : "**missed**"
        okc = (cp <= tt[2] + 0) ? "met" : "missed"
      }
      row[i] = sprintf("| %s: %s | %s | %s | %s%s |", grp[k], lab[k], want, got, ok,
                       okc == "" ? "" : ", CPU " okc)
      any = 1
    }
    if (any) {
      print "## Targets (issue 12)"
      print ""
      print "| figure | target | measured | wall |"
      print "|---|---|---|---|"
      for (i = 1; i <= n; i++) if (i in row) print row[i]
      print ""
    }
    print "## Figures"
    print ""
    print "Wall and CPU in ms. \"paired\" figures are medians of per-round values"
    print "against the group'"'"'s first row; \"CPU added\" is the paired CPU difference."
    for (gi = 1; gi <= ng; gi++) {
      g = gorder[gi]
      print ""
      print "### " g
      print ""
      print "| row | wall median | min | max | paired ratio | CPU | paired CPU ratio | CPU added | noise | runs |"
      print "|---|---|---|---|---|---|---|---|---|---|"
      for (i = 1; i <= n; i++) {
        k = order[i]
        if (grp[k] != g) continue
        m = med(meds[k])
        noise = (reps[k] > 1 && m > 0) ? sprintf("%.0f%%", (hi(meds[k]) - lo(meds[k])) / m * 100) : "-"
        isbase = (lab[k] == first[g])
        printf "| %s | %.3f | %.3f | %.3f | %s | %.3f | %s | %s | %s | %d |\n",
          lab[k], m, lo(mins[k]), hi(maxs[k]), isbase ? "1" : sprintf("%.3f", med(pair[k])),
          med(cpu[k]), isbase ? "1" : sprintf("%.3f", med(cpair[k])),
          isbase ? "" : sprintf("%+.3f", med(cadd[k])), noise, runs[k]
      }
      if (g in cmd) {
        print ""
        print "```sh"
        print cmd[g]
        print "```"
      }
    }
  }
' "$TARGETS" "$CMDS" "$RAW"
