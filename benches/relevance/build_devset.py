#!/usr/bin/python3
"""Builds the relevance development set from the real motions (../shared/corpus/moties).

Two query sets, judged automatically from the documents' own metadata; nothing is removed from
the indexed documents (titles stay indexed):

  T (known item): the "over ..." part of a motion's documenttitel
     ("Motie van het lid Piri over de Spreidingswet behouden" -> "de spreidingswet behouden").
     Relevant: every motion whose "over" part is the same text (gewijzigde moties and
     near-duplicates share titles).
  K (short keywords): two content words of a motion's "over" part (at least 5 letters, not a
     stopword), the two rarest among the "over" parts that still occur in at least two of them.
     Relevant: every motion whose "over" part contains both words as whole words.
     Queries with more than 50 relevant motions are dropped.

Document ids are kamerzoek's: the Kamerstuk key taken from the file name
(kst-21501-33-1104.xml -> 21501-33-1104). Queries are lower-cased and reduced to letters, digits
and spaces, so every engine reads them as plain words, all required.

  build_devset.py [--corpus ../shared/corpus] [--out benches/relevance] [--t 400] [--k 200]
"""
import argparse
import glob
import html
import os
import random
import re
from collections import Counter

TITLE = re.compile(r'<meta name="OVERHEIDop.documenttitel"[^>]*content="([^"]*)"')
STOP = set("""de het een en van in op te voor met aan bij door over tot naar om uit als dat die
niet wel ook nog meer geen zijn worden wordt is deze dit er of maar dan zo kan moet bij onder
tegen tussen zonder binnen na per via alle hun haar zijn zich wat welke waar""".split())


def norm(s):
    s = html.unescape(s).lower()
    # An apostrophe inside a word stays (`regio's`, `azc's`): it is part of the word for every
    # engine; cut off, the query would ask for a stray `s`.
    s = re.sub(r"(?<=\w)['’](?=\w)", "\x00", s)
    s = re.sub(r"[^\w\s\x00]", " ", s).replace("\x00", "'")
    return " ".join(w for w in s.split() if w not in ("and", "or", "not"))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(here, "..", "..", "..", "shared", "corpus"))
    ap.add_argument("--out", default=here)
    ap.add_argument("--t", type=int, default=400)
    ap.add_argument("--k", type=int, default=200)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    over = {}  # doc id -> normalised "over" part
    for path in sorted(glob.glob(os.path.join(a.corpus, "moties", "*.xml"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            m = TITLE.search(f.read())
        if m and " over " in m.group(1):
            doc = os.path.basename(path)[len("kst-"):-len(".xml")]
            q = norm(re.sub(r"\([^)]*\)", " ", m.group(1).split(" over ", 1)[1]))
            if q:
                over[doc] = q
    by_text = {}
    for doc, q in over.items():
        by_text.setdefault(q, []).append(doc)
    df = Counter()
    words_of = {doc: set(q.split()) for doc, q in over.items()}
    for ws in words_of.values():
        df.update(ws)

    rng = random.Random(a.seed)
    docs = sorted(over)
    queries, qrels = [], []
    texts = sorted(by_text)
    for n, text in enumerate(rng.sample(texts, min(a.t, len(texts)))):
        qid = f"T{n + 1:03}"
        queries.append((qid, text))
        qrels += [(qid, d) for d in sorted(by_text[text])]
    seen = set()
    n = 0
    for doc in rng.sample(docs, len(docs)):
        if n >= a.k:
            break
        cands = sorted((df[w], w) for w in words_of[doc]
                       if len(w) >= 5 and w.isalpha() and w not in STOP and df[w] >= 2)
        if len(cands) < 2:
            continue
        pair = tuple(sorted(w for _, w in cands[:2]))
        if pair in seen:
            continue
        rel = sorted(d for d, ws in words_of.items() if pair[0] in ws and pair[1] in ws)
        if not rel or len(rel) > 50:
            continue
        seen.add(pair)
        n += 1
        qid = f"K{n:03}"
        queries.append((qid, " ".join(pair)))
        qrels += [(qid, d) for d in rel]

    with open(os.path.join(a.out, "queries.tsv"), "w", encoding="utf-8") as f:
        for qid, text in queries:
            f.write(f"{qid}\t{text}\n")
    with open(os.path.join(a.out, "qrels.txt"), "w", encoding="utf-8") as f:
        for qid, doc in qrels:
            f.write(f"{qid} 0 {doc} 1\n")
    print(f"{len(over)} motions with an 'over' title; {len(queries)} queries, {len(qrels)} judgements")


if __name__ == "__main__":
    main()
