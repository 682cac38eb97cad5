#!/usr/bin/python3
"""Writes benches/long-queries.jsonl from the real corpus (seeded): 40 long queries, each the
request of a motion ("verzoekt de regering ..."), 12 to 60 words, as a user pastes a sentence.

Few documents hold every word of such a query, so kamerzoek answers most of them relaxed (the
sections holding a third of the words): `cargo bench --bench latency -- --index DIR
--queries benches/long-queries.jsonl --relax` times that path.
"""
import glob
import html
import json
import os
import random
import re

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "..", "..", "shared", "corpus")
AL = re.compile(r"<al>(.*?)</al>", re.S)

rng = random.Random(12)
requests = []
for path in sorted(glob.glob(os.path.join(corpus, "moties", "*.xml"))):
    with open(path, encoding="utf-8", errors="replace") as f:
        paras = [html.unescape(re.sub(r"<[^>]+>", " ", p)) for p in AL.findall(f.read())]
    for p in paras:
        p = " ".join(p.split())
        if p.startswith("verzoekt de regering"):
            # Query syntax stays out: no quotes, operators or field scopes.
            words = re.sub(r'["():+\-*~\[\]{}^]', " ", p).split()
            words = [w for w in words if w not in ("AND", "OR", "NOT")]
            if 12 <= len(words) <= 60:
                requests.append(" ".join(words).rstrip(",;."))
            break
with open(os.path.join(here, "long-queries.jsonl"), "w", encoding="utf-8") as out:
    for i, q in enumerate(rng.sample(requests, 40)):
        out.write(json.dumps({"id": i, "query": q}, ensure_ascii=False) + "\n")
