#!/usr/bin/python3
"""The peers of kamerzoek: SQLite FTS5 and Xapian, fed the same text kamerzoek indexes.

Input is the JSON-lines output of `kamerzoek parse --format jsonl` (one Document per line), so all
three engines index identical text: one row per *section*, carrying its document's title and
submitters (as kamerzoek's schema does: fields title x3, heading x2, body x1, submitters x1.5) and
the same facet values (ministry, topic levels, motion + dossier, type, year, section kind).

Subcommands (all print one JSON object on stdout):
  index  --engine fts5|xapian --docs DOCS.jsonl --db PATH     build an index, time it
  bench  --engine ... --db PATH --queries Q.jsonl [--relevance R.tsv --work DIR] [--repeat 0]
  all    --docs DOCS.jsonl --work DIR --queries Q.jsonl [--relevance R.tsv] [--engines fts5,xapian]
         runs `index` in a fresh child process per engine (so peak RSS is that child's own,
         via os.wait4) and then `bench`. --repeat 0: relevance runs only, no timing.
         Relevance runs are written as DIR/ENGINE-and.run and DIR/ENGINE-or.run.

Timing is taken in Python with time.perf_counter() around the query calls: parse the query,
run it, collect the top-10 documents (grouped by document, best section first), their titles
and a snippet; with facets on, also the exact per-document facet counts (FTS5: GROUP BY over the
match set) or per-section counts (Xapian: ValueCountMatchSpy over every match).
"""

import argparse
import json
import multiprocessing as mp
import os
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

try:
    import xapian
except ImportError:  # only FTS5 then; the caller says so
    xapian = None

WEIGHTS = {"title": 3.0, "heading": 2.0, "body": 1.0, "submitters": 1.5}
FACETS = ["ministry", "topic", "motion", "type", "year", "section"]
LIMIT = 10


# ---------------------------------------------------------------------------------------------
# Documents → rows


def doc_motions(doc):
    """(dossier, nr) pairs like kamerzoek_index::convert::document_motions."""
    out = set()

    def split(key, dossier):
        if not key:
            return None
        if not dossier:
            if "-" not in key:
                return None
            dossier = key.rsplit("-", 1)[0]
        if not key.startswith(dossier + "-"):
            return None
        rest = key[len(dossier) + 1:]
        return (dossier, rest) if rest else None

    own = split(doc.get("kamerstuk"), None)
    if own:
        out.add(own)
    for r in doc.get("references") or []:
        if r.get("kind") in ("kamerstuk", "motie"):
            m = split(r.get("key"), r.get("dossier"))
            if m:
                out.add(m)
    return sorted(out)


def doc_facets(doc):
    """Document-level facet values: list of (name, value)."""
    vals = []
    for m in doc.get("ministries") or []:
        vals.append(("ministry", m))
    topics = set()
    for t in doc.get("topics") or []:
        parts = [p for p in t.split("/") if p]
        for n in range(1, len(parts) + 1):
            topics.add("/" + "/".join(parts[:n]))
    for t in sorted(topics):
        vals.append(("topic", t))
    motions = doc_motions(doc)
    for d in sorted({d for d, _ in motions}):
        vals.append(("dossier", d))
    for d, n in motions:
        vals.append(("motion", f"{d}-{n}"))
    vals.append(("type", doc.get("doc_type") or "unknown"))
    date = doc.get("date")
    if date and len(date) >= 4:
        vals.append(("year", date[:4]))
    return vals


def submitters_text(doc):
    out = []
    for s in doc.get("submitters") or []:
        out.append(f"{s['name']} ({s['party']})" if s.get("party") else s["name"])
    return "\n".join(out)


def sections_of(doc):
    secs = doc.get("sections") or []
    if not secs:
        secs = [{"kind": "body", "heading": None, "text": ""}]
    return secs


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


# ---------------------------------------------------------------------------------------------
# Queries: the subset of kamerzoek's syntax the benchmark uses (words and "phrases", all required)

TOKEN = re.compile(r'"([^"]*)"|(\S+)')


def parse_query(q):
    """[(is_phrase, text)]"""
    out = []
    for m in TOKEN.finditer(q):
        if m.group(1) is not None:
            if m.group(1).strip():
                out.append((True, m.group(1).strip()))
        else:
            out.append((False, m.group(2)))
    return out


def fts5_query(q, op="and"):
    parts = []
    for _, text in parse_query(q):
        parts.append('"' + text.replace('"', '""') + '"')
    return (" OR " if op == "or" else " ").join(parts)


# ---------------------------------------------------------------------------------------------
# SQLite FTS5


def fts5_index(docs_path, db, durable=False):
    """`durable`: SQLite's own defaults (a rollback journal, `synchronous=FULL`), so that the
    database survives a crash as kamerzoek's last commit does; otherwise neither journal nor
    syncs, SQLite's fastest (the benchmark's main FTS5 figure since the first run)."""
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db, isolation_level=None)
    if not durable:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
    con.execute("PRAGMA cache_size=-65536")
    con.execute(
        "CREATE VIRTUAL TABLE fts USING fts5(title, heading, body, submitters, doc UNINDEXED, "
        "kind UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
    )
    w = WEIGHTS
    con.execute(
        "INSERT INTO fts(fts, rank) VALUES('rank', "
        f"'bm25({w['title']}, {w['heading']}, {w['body']}, {w['submitters']}, 0.0, 0.0)')"
    )
    con.execute("CREATE TABLE docs(doc INTEGER PRIMARY KEY, id TEXT, title TEXT)")
    con.execute("CREATE TABLE docfacet(doc INTEGER, name TEXT, value TEXT)")
    docs = sections = text_bytes = 0
    con.execute("BEGIN")
    for n, doc in enumerate(read_docs(docs_path)):
        title = doc.get("title") or ""
        subs = submitters_text(doc)
        con.execute("INSERT INTO docs VALUES(?,?,?)", (n, doc["id"], title))
        con.executemany("INSERT INTO docfacet VALUES(?,?,?)", [(n, a, b) for a, b in doc_facets(doc)])
        rows = []
        for s in sections_of(doc):
            rows.append((title, s.get("heading") or "", s.get("text") or "", subs, n, s.get("kind") or "body"))
            text_bytes += len((s.get("text") or "").encode())
        con.executemany("INSERT INTO fts VALUES(?,?,?,?,?,?)", rows)
        docs += 1
        sections += len(rows)
    con.execute("CREATE INDEX docfacet_doc ON docfacet(doc)")
    con.execute("COMMIT")
    con.execute("INSERT INTO fts(fts) VALUES('optimize')")
    con.commit()
    con.close()
    return {"documents": docs, "sections": sections, "text_bytes": text_bytes}


class Fts5:
    name = "fts5"

    def __init__(self, db):
        self.con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, check_same_thread=False)
        self.con.execute("PRAGMA cache_size=-65536")

    def search(self, q, facets, op="and"):
        m = fts5_query(q, op)
        c = self.con
        top = c.execute(
            "SELECT doc, rowid, min(rank) FROM fts WHERE fts MATCH ? GROUP BY doc ORDER BY 3, 1 LIMIT ?",
            (m, LIMIT),
        ).fetchall()
        hits = []
        for doc, rowid, score in top:
            did, title = c.execute("SELECT id, title FROM docs WHERE doc = ?", (doc,)).fetchone()
            snip = c.execute(
                "SELECT snippet(fts, 2, '<em>', '</em>', '…', 24) FROM fts WHERE fts MATCH ? AND rowid = ?",
                (m, rowid),
            ).fetchone()
            hits.append((did, -score, title, snip[0] if snip else ""))
        counts = None
        if facets:
            counts = {}
            for name, value, n in c.execute(
                "WITH m AS (SELECT DISTINCT doc FROM fts WHERE fts MATCH ?) "
                "SELECT f.name, f.value, count(*) FROM m JOIN docfacet f ON f.doc = m.doc GROUP BY 1, 2",
                (m,),
            ):
                counts.setdefault(name, {})[value] = n
            for kind, n in c.execute(
                "SELECT kind, count(DISTINCT doc) FROM fts WHERE fts MATCH ? GROUP BY kind", (m,)
            ):
                counts.setdefault("section", {})[kind] = n
        return hits, counts


# ---------------------------------------------------------------------------------------------
# Xapian

SLOT_DOC = 0
SLOTS = {"ministry": 1, "topic": 2, "motion": 3, "dossier": 4, "type": 5, "year": 6, "section": 7}
SEP = "\x1f"


def xapian_index(docs_path, db):
    if os.path.exists(db):
        shutil.rmtree(db)
    tmp = db + ".build"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    wdb = xapian.WritableDatabase(tmp, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("dutch"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    docs = sections = text_bytes = 0
    wdb.begin_transaction(False)
    for n, doc in enumerate(read_docs(docs_path)):
        title = doc.get("title") or ""
        subs = submitters_text(doc)
        fac = {}
        for name, value in doc_facets(doc):
            fac.setdefault(name, []).append(value)
        for s in sections_of(doc):
            text = s.get("text") or ""
            xd = xapian.Document()
            tg.set_document(xd)
            # wdf_inc weights like kamerzoek's field boosts (title 3, heading 2, body 1, submitters ~1.5→2)
            if title:
                tg.index_text(title, 3)
                tg.increase_termpos()
            if s.get("heading"):
                tg.index_text(s["heading"], 2)
                tg.increase_termpos()
            tg.index_text(text, 1)
            if subs:
                tg.increase_termpos()
                tg.index_text(subs, 2)
            xd.add_value(SLOT_DOC, str(n))
            for name, slot in SLOTS.items():
                if name == "section":
                    xd.add_value(slot, s.get("kind") or "body")
                elif name in fac:
                    # multi-valued facets: one slot holding the value set; counts are split back
                    # into single values after the spy has counted the combinations
                    xd.add_value(slot, SEP.join(fac[name]))
            xd.set_data(json.dumps({"id": doc["id"], "title": title, "text": text}))
            wdb.add_document(xd)
            sections += 1
            text_bytes += len(text.encode())
        docs += 1
    wdb.commit_transaction()
    wdb.close()
    xapian.Database(tmp).compact(db)
    shutil.rmtree(tmp)
    return {"documents": docs, "sections": sections, "text_bytes": text_bytes}


class Xapian:
    name = "xapian"

    def __init__(self, db):
        self.db = xapian.Database(db)
        self.qp = xapian.QueryParser()
        self.qp.set_stemmer(xapian.Stem("dutch"))
        self.qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.qp.set_database(self.db)
        self.stem = xapian.Stem("dutch")

    def search(self, q, facets, op="and"):
        self.qp.set_default_op(xapian.Query.OP_OR if op == "or" else xapian.Query.OP_AND)
        query = self.qp.parse_query(q, xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_DEFAULT)
        enq = xapian.Enquire(self.db)
        enq.set_query(query)
        enq.set_weighting_scheme(xapian.BM25Weight())
        enq.set_collapse_key(SLOT_DOC)
        spies = {}
        if facets:
            for name, slot in SLOTS.items():
                spy = xapian.ValueCountMatchSpy(slot)
                enq.add_matchspy(spy)
                spies[name] = spy
            mset = enq.get_mset(0, LIMIT, self.db.get_doccount())
        else:
            mset = enq.get_mset(0, LIMIT)
        hits = []
        for m in mset:
            data = json.loads(m.document.get_data())
            snip = mset.snippet(data["text"], 200, self.stem)
            hits.append((data["id"], m.weight, data["title"], snip))
        counts = None
        if facets:
            counts = {}
            for name, spy in spies.items():
                c = counts.setdefault(name, {})
                for item in spy.values():
                    for v in item.term.decode().split(SEP):
                        c[v] = c.get(v, 0) + item.termfreq
        return hits, counts


ENGINES = {"fts5": (fts5_index, Fts5), "xapian": (xapian_index, Xapian)}


# ---------------------------------------------------------------------------------------------
# Measuring


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, int(round(p / 100.0 * (len(xs) - 1)))))
    return xs[k]


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(root, f))
    return total


def read_queries(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                out.append(json.loads(line))
    return out


_worker_engine = None


def _worker(args):
    engine, db, queries, facets, barrier, q = args
    e = ENGINES[engine][1](db)
    barrier.wait()
    t0 = time.perf_counter()
    found = 0
    for text in queries:
        hits, _ = e.search(text, facets)
        found += len(hits)
    q.put((t0, time.perf_counter(), found))


def throughput(engine, db, queries, threads, facets, repeat):
    """Queries per second with `threads` worker processes, each with its own handle."""
    work = [t for _ in range(repeat) for t in queries]
    chunks = [work[i::threads] for i in range(threads)]
    ctx = mp.get_context("fork")
    barrier = ctx.Barrier(threads)
    q = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=((engine, db, c, facets, barrier, q),)) for c in chunks]
    for p in procs:
        p.start()
    res = [q.get() for _ in procs]
    for p in procs:
        p.join()
    start = min(r[0] for r in res)
    end = max(r[1] for r in res)
    return len(work) / (end - start)


def relevance_runs(e, engine, relevance_path, work):
    """One TREC run per query operator: `and` (every word required), `or` (the peers' natural
    choice for verbose queries) and `and-or` (`and`, or `or` for a query `and` finds nothing
    for: what kamerzoek does unless told not to). Returns {run name: path}."""
    runs = {}
    lines = {"and": [], "or": []}
    for op in ("and", "or"):
        path = os.path.join(work, f"{engine}-{op}.run")
        with open(relevance_path, encoding="utf-8") as f, open(path, "w", encoding="utf-8") as w:
            for line in f:
                if not line.strip():
                    continue
                qid, text = line.rstrip("\n").split("\t", 1)
                hits, _ = e.search(text, False, op)
                lines[op].append((qid, hits))
                for rank, h in enumerate(hits, 1):
                    w.write(f"{qid} Q0 {h[0]} {rank} {h[1]:.6g} {engine}-{op}\n")
        runs[f"{engine}-{op}"] = path
    path = os.path.join(work, f"{engine}-and-or.run")
    with open(path, "w", encoding="utf-8") as w:
        for (qid, hits_and), (_, hits_or) in zip(lines["and"], lines["or"]):
            for rank, h in enumerate(hits_and or hits_or, 1):
                w.write(f"{qid} Q0 {h[0]} {rank} {h[1]:.6g} {engine}-and-or\n")
    runs[f"{engine}-and-or"] = path
    return runs


def bench(engine, db, queries_path, relevance_path, work, repeat, batch_repeat):
    cls = ENGINES[engine][1]
    e = cls(db)
    out = {"engine": engine}
    if relevance_path:
        out["runs"] = relevance_runs(e, engine, relevance_path, work)
    if repeat == 0:
        return out
    queries = read_queries(queries_path)
    texts = [q["query"] for q in queries]
    out["queries"] = len(texts)
    t0 = time.perf_counter()
    e2 = cls(db)
    e2.search(texts[0], True)
    out["first_query_ms"] = (time.perf_counter() - t0) * 1000.0
    del e2
    matched = 0
    for facets in (False, True):
        for t in texts:  # warm-up pass
            e.search(t, facets)
        lat = []
        for _ in range(repeat):
            for t in texts:
                s = time.perf_counter()
                hits, counts = e.search(t, facets)
                lat.append((time.perf_counter() - s) * 1000.0)
                if facets and hits:
                    matched += 1
                    assert counts is not None and counts.get("type"), f"no facet counts for {t!r}"
        key = "facets" if facets else "nofacets"
        out[f"p50_ms_{key}"] = pct(lat, 50)
        out[f"p99_ms_{key}"] = pct(lat, 99)
        out[f"mean_ms_{key}"] = statistics.fmean(lat)
    out["queries_with_hits"] = matched // max(repeat, 1)
    for threads in (1, 2):
        for facets in (False, True):
            key = "facets" if facets else "nofacets"
            out[f"qps_{threads}t_{key}"] = throughput(engine, db, texts, threads, facets, batch_repeat)
    return out


def index_child(engine, docs, db):
    """Runs `index` in a fresh process; returns its JSON plus its own peak RSS."""
    cmd = [sys.executable, os.path.abspath(__file__), "index", "--engine", engine, "--docs", docs, "--db", db]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    if status != 0:
        raise SystemExit(f"{engine} indexing failed ({status})")
    res = json.loads(out)
    res["peak_rss_mb"] = usage.ru_maxrss / 1024.0
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["index", "bench", "all"])
    ap.add_argument("--engine")
    ap.add_argument("--engines", default="fts5,xapian")
    ap.add_argument("--docs")
    ap.add_argument("--db")
    ap.add_argument("--work")
    ap.add_argument("--queries")
    ap.add_argument("--relevance")
    ap.add_argument("--source-bytes", type=int, default=0, help="bytes of the original files")
    ap.add_argument("--durable", action="store_true", help="index: FTS5 with SQLite's default journal and syncs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-repeat", type=int, default=2)
    a = ap.parse_args()
    if a.cmd == "index":
        t0 = time.perf_counter()
        if a.durable and a.engine != "fts5":
            raise SystemExit("--durable is for --engine fts5")
        res = ENGINES[a.engine][0](a.docs, a.db, **({"durable": True} if a.durable else {}))
        res["seconds"] = time.perf_counter() - t0
        res["peak_rss_mb_self"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
        print(json.dumps(res))
    elif a.cmd == "bench":
        print(json.dumps(bench(a.engine, a.db, a.queries, a.relevance, a.work or ".", a.repeat, a.batch_repeat)))
    else:
        os.makedirs(a.work, exist_ok=True)
        results = {"xapian_version": xapian.version_string() if xapian else None,
                   "sqlite_version": sqlite3.sqlite_version, "engines": {}}
        for engine in a.engines.split(","):
            if engine == "xapian" and xapian is None:
                raise SystemExit("python3-xapian is missing: run benches/install.sh")
            db = os.path.join(a.work, engine + (".db" if engine == "fts5" else ".xapian"))
            r = index_child(engine, a.docs, db)
            r["index_bytes"] = dir_size(db)
            if a.source_bytes:
                r["mb_per_s"] = a.source_bytes / 1e6 / r["seconds"]
            r["text_mb_per_s"] = r["text_bytes"] / 1e6 / r["seconds"]
            r.update(bench(engine, db, a.queries, a.relevance, a.work, a.repeat, a.batch_repeat))
            results["engines"][engine] = r
            print(f"peers: {engine} done: {json.dumps(r)}", file=sys.stderr)
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
