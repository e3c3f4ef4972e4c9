#!/usr/bin/env python3
"""Turns a `villagegrid compare` folder's compare.csv into a Markdown table for the docs: one row a
metric, the first configuration's mean [95 % interval], then each other's paired difference
[95 % interval] against it (a share's in percentage points, as compare.csv gives it). Region
metrics; ROLE/METRIC names a role's metric.
Usage: tools/compare-table.py COMPARE_DIR [METRIC ...]   (default: every region metric, in file order)"""
import csv
import sys


def fmt(x, unit, signed=False):
    if x == "":
        return "–"  # undefined (compare.csv leaves it blank)
    x = float(x)
    if unit == "share":
        x *= 100
    if unit == "percentage_points":
        unit = ""
    s = f"{x:+,.1f}" if signed else f"{x:,.1f}"
    return s + (" %" if unit == "share" and not signed else "")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = list(csv.DictReader(open(f"{sys.argv[1]}/compare.csv")))
    for r in rows:
        r["key"] = r["metric"] if r["scope"] == "region" else f"{r['scope']}/{r['metric']}"
    wanted = sys.argv[2:] or list(dict.fromkeys(r["key"] for r in rows if r["scope"] == "region"))
    configs = list(dict.fromkeys(r["name"] for r in rows))
    print("| metric | " + " | ".join([configs[0]] + [f"{c} − {configs[0]}" for c in configs[1:]]) + " |")
    print("|---" * (len(configs) + 1) + "|")
    for m in wanted:
        mr = [r for r in rows if r["key"] == m]
        if not mr:
            roles = [r["scope"] for r in rows if r["metric"] == m and r["scope"] != "region"]
            hint = f"; a role's metric is ROLE/METRIC, e.g. {roles[0]}/{m}" if roles else ""
            sys.exit(f"compare-table: no metric '{m}' in {sys.argv[1]}/compare.csv{hint}")
        cells = []
        for r in mr:
            unit = r["unit"]
            if r["configuration"] == "1":
                cells.append(f"{fmt(r['mean'], unit)} [{fmt(r['ci95_low'], unit)}, {fmt(r['ci95_high'], unit)}]")
            else:
                d, lo, hi = (r[k] for k in ("diff_mean", "diff_ci95_low", "diff_ci95_high"))
                du = r["diff_unit"]
                one = " (one replicate)" if r.get("diff_one_replicate") == "yes" else ""
                cells.append(f"{fmt(d, du, True)} [{fmt(lo, du, True)}, {fmt(hi, du, True)}]{one}")
        print(f"| {m} | " + " | ".join(cells) + " |")


main()
