#!/usr/bin/python3
"""Writes the latency query set, benches/queries.jsonl, from the real corpus (seeded).

400 queries, the same for every engine and corpus size, in the subset of kamerzoek's query
language every engine reads alike (plain words, all required; "quoted phrases"):
  100 single words from the motions' text, in four document-frequency bands (very common to rare)
  100 two-word keyword queries and 100 "over ..." title queries from benches/relevance/queries.tsv
  100 two-word phrases ("huiselijk geweld"): frequent bigrams of content words
"""
import glob
import html
import json
import os
import random
import re
from collections import Counter

here = os.path.dirname(os.path.abspath(__file__))
corpus = os.path.join(here, "..", "..", "shared", "corpus")
AL = re.compile(r"<al>(.*?)</al>", re.S)
STOP = set("""de het een en van in op te voor met aan bij door over tot naar om uit als dat die
niet wel ook nog meer geen zijn worden wordt is deze dit er of maar dan zo kan moet onder tegen
tussen zonder binnen na per via alle hun haar zich wat welke waar and or not""".split())

rng = random.Random(11)
df, bigrams = Counter(), Counter()
for path in sorted(glob.glob(os.path.join(corpus, "moties", "*.xml"))):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(AL.findall(f.read())))).lower()
    words = re.findall(r"[^\W\d_]+", text)
    df.update(set(words))
    for a, b in zip(words, words[1:]):
        if a not in STOP and b not in STOP and len(a) > 3 and len(b) > 3:
            bigrams[(a, b)] += 1
ranked = [w for w, _ in df.most_common() if w not in STOP and len(w) > 3]
bands = [ranked[:200], ranked[200:2000], ranked[2000:10000], ranked[10000:40000]]
queries = []
for band in bands:
    queries += rng.sample(band, 25)
queries += ['"%s %s"' % ab for ab in rng.sample([ab for ab, _ in bigrams.most_common(2000)], 100)]
with open(os.path.join(here, "relevance", "queries.tsv"), encoding="utf-8") as f:
    rel = [line.rstrip("\n").split("\t", 1) for line in f if line.strip()]
queries += rng.sample([q for i, q in rel if i.startswith("K")], 100)
queries += rng.sample([q for i, q in rel if i.startswith("T")], 100)
with open(os.path.join(here, "queries.jsonl"), "w", encoding="utf-8") as f:
    for n, q in enumerate(queries):
        f.write(json.dumps({"id": n, "query": q}, ensure_ascii=False) + "\n")
print(f"{len(queries)} queries")
