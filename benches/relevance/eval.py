#!/usr/bin/python3
"""MRR@10, nDCG@10 and recall@10 of TREC run files against a TREC qrels file.

  eval.py QRELS QUERIES RUN [RUN...]   prints one JSON object: {run name: {set: metrics}}

Sets: "all", and one per query-id prefix letter (T = known-item titles, K = keywords).
A query with no line in a run scores 0 (it is still counted).
"""
import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    rel = defaultdict(dict)
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and int(p[3]) > 0:
                rel[p[0]][p[2]] = int(p[3])
    return rel


def read_run(path):
    run = defaultdict(list)
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 6:
                run[p[0]].append((int(p[3]), p[2]))
    return {q: [d for _, d in sorted(v)] for q, v in run.items()}


def metrics(qids, rel, run, k=10):
    mrr = ndcg = recall = 0.0
    for q in qids:
        ranked = run.get(q, [])[:k]
        r = rel.get(q, {})
        rr = 0.0
        dcg = 0.0
        for i, d in enumerate(ranked):
            g = r.get(d, 0)
            if g and rr == 0.0:
                rr = 1.0 / (i + 1)
            dcg += (2 ** g - 1) / math.log2(i + 2)
        ideal = sorted(r.values(), reverse=True)[:k]
        idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
        mrr += rr
        ndcg += dcg / idcg if idcg else 0.0
        recall += len(set(ranked) & set(r)) / len(r) if r else 0.0
    n = max(len(qids), 1)
    return {"queries": len(qids), "mrr@10": mrr / n, "ndcg@10": ndcg / n, "recall@10": recall / n}


def evaluate(qrels, queries, runs):
    rel = read_qrels(qrels)
    with open(queries) as f:
        qids = [line.split("\t", 1)[0] for line in f if line.strip()]
    out = {}
    for name, path in runs.items():
        run = read_run(path)
        sets = {"all": qids}
        for q in qids:
            sets.setdefault(q[0], []).append(q)
        out[name] = {s: metrics(v, rel, run) for s, v in sets.items()}
    return out


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs = {p.rsplit("/", 1)[-1].rsplit(".", 1)[0]: p for p in sys.argv[3:]}
    print(json.dumps(evaluate(sys.argv[1], sys.argv[2], runs), indent=1))
