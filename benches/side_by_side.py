#!/usr/bin/env python3
"""Index throughput of kamerzoek binaries side by side with FTS5, in alternating rounds.

Each round indexes DOCS (JSON lines as `kamerzoek parse --format jsonl` writes them) with each
binary into a fresh index (`kamerzoek index --documents`, timed from outside, process start and
exit included, as `benches/compare.rs` times it), then with FTS5 into a fresh database
(`benches/peers.py index`, timed inside Python as the harness times it). Prints the median, the
minimum and every round per engine, and each binary's median CPU time (user + system). Used
to judge an indexing change against the binary before it on a noisy machine: only figures from
the same loop compare.

    benches/side_by_side.py DOCS BIN[,BIN...] ROUNDS [--work DIR]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs")
    ap.add_argument("bins", help="comma-separated kamerzoek binaries")
    ap.add_argument("rounds", type=int)
    ap.add_argument("--work", default="/tmp/kamerzoek-side-by-side")
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    index, db = os.path.join(a.work, "index"), os.path.join(a.work, "fts5.db")
    bins = a.bins.split(",")
    times = {b: [] for b in bins}
    times["fts5"] = []
    # CPU time (user + system) of each kamerzoek run: less moved by the machine's noise than
    # wall time when both cores are busy, though not by FTS5's measure (timed inside Python).
    cpu = {b: [] for b in bins}
    for _ in range(a.rounds):
        for b in bins:
            shutil.rmtree(index, ignore_errors=True)
            t = time.perf_counter()
            p = subprocess.Popen([b, "index", "--documents", a.docs, "--index", index],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            times[b].append(time.perf_counter() - t)
            cpu[b].append(usage.ru_utime + usage.ru_stime)
            if status != 0:
                sys.exit(f"{b} index failed ({status})")
        if os.path.exists(db):
            os.remove(db)
        out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "peers.py"), "index",
                              "--engine", "fts5", "--docs", a.docs, "--db", db],
                             capture_output=True, check=True)
        times["fts5"].append(json.loads(out.stdout)["seconds"])
    shutil.rmtree(index, ignore_errors=True)
    for name, v in times.items():
        rounds = " ".join(f"{x * 1000:.0f}" for x in v)
        print(f"{name:40s} median {statistics.median(v) * 1000:7.1f} ms  "
              f"min {min(v) * 1000:7.1f}  rounds {rounds}")
    for name, v in cpu.items():
        print(f"{name:40s} CPU median {statistics.median(v) * 1000:7.1f} ms  "
              f"min {min(v) * 1000:7.1f}")


if __name__ == "__main__":
    main()
