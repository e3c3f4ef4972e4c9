#!/usr/bin/env python3
"""The "Results at a glance" tables of docs/scenario-catalogue.md, from runs' summary.json files:
one row per run folder (the region's means over replicates), then, with --villages, one row per
village of the first run.
Usage: tools/glance-table.py RUN_DIR... [--villages]"""
import json
import sys

COLUMNS = [("returnees_arrived", "returnees", "n"), ("found_share", "found", "%"),
           ("arrival_to_found_hours", "arrival to found (h)", "f"),
           ("screened_within_24h_of_arrival_share", "screened within 24 h of arrival", "%"),
           ("key_identified", "key persons", "f"), ("team_complete_share", "team complete", "%"),
           ("tasks_late", "tasks late", "n"), ("infections_imported", "infections imported", "f2"),
           ("infections_local", "local infections", "n")]


def scope(summary, kind, village=None):
    """The records of summary.json's `metrics` for one scope, by metric name."""
    return {m["metric"]: m for m in summary["metrics"] if m["scope"] == kind and m["village"] == village}


def cell(metrics, key, kind):
    m = metrics.get(key)
    if m is None or m.get("n", 1) == 0:
        return "-"
    v = m["mean"]
    if kind == "%":
        return f"{100 * v:.1f} %"
    if kind == "n":
        return f"{v:,.0f}" if abs(v) >= 10 else f"{v:.1f}"
    return f"{v:,.2f}" if kind == "f2" else f"{v:,.1f}"


def row(name, metrics):
    return f"| {name} | " + " | ".join(cell(metrics, k, kind) for k, _, kind in COLUMNS) + " |"


def main():
    dirs = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not dirs:
        sys.exit(__doc__)
    print("| scenario | " + " | ".join(t for _, t, _ in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for d in dirs:
        s = json.load(open(f"{d}/summary.json"))
        print(row(f"`{s['scenario']}` ({s['replicates']} replicates)", scope(s, "region")))
    if "--villages" in sys.argv:
        s = json.load(open(f"{dirs[0]}/summary.json"))
        print()
        print("| village | " + " | ".join(t for _, t, _ in COLUMNS) + " |")
        print("|---" * (len(COLUMNS) + 1) + "|")
        for v in s["villages"]:
            print(row(v["village"], scope(s, "village", v["village"])))


main()
