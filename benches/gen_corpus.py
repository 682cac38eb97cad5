#!/usr/bin/python3
"""Scale corpus for the benchmark: seeded, deterministic, any size.

Learns from the real corpus (../shared/corpus): a word-bigram chain over the motion texts
(`<al>` paragraphs) and the Staten-Generaal Digitaal texts, the real dossier titles, "over ..."
title parts, submitter names, parties and Taxonomie Beleidsagenda categories. Writes documents of
every kind kamerzoek ingests:

  * motions as officielebekendmakingen Kamerstuk XML (about a quarter with full metadata,
    the others with only the externMetadataRecord, like the real set): constaterende/overwegende
    paragraphs, a "verzoekt de regering" paragraph, submitters;
  * beslisnota's as plain text with the numbered headings (Aanleiding, Geadviseerd besluit,
    Kernpunten, Toelichting with lettered items, Informatie die niet openbaar ...);
  * Kamerbrieven as plain text (dossier line, Nr., addressing, paragraphs under headings,
    Hoogachtend).

Text is drawn from the bigram chain, so word frequencies and local word order follow the real
texts while no real sentence is copied as a whole. The same --seed and --docs give the same
bytes. The model is cached (pickle) next to the output.

  gen_corpus.py --corpus ../shared/corpus --out DIR --docs N [--seed 42] [--mix 70,15,15]
"""

import argparse
import glob
import html
import os
import pickle
import random
import re
import sys

MODEL_VERSION = 2
AL = re.compile(r"<al>(.*?)</al>", re.S)
TAG = re.compile(r"<[^>]+>")
META = re.compile(r'<meta name="([^"]+)"[^>]*content="([^"]*)"')


def build_model(corpus, max_sgd):
    tokens = []  # token stream with None as paragraph break
    over, dossier_titles, names, categories = [], [], [], []
    for path in sorted(glob.glob(os.path.join(corpus, "moties", "*.xml"))):
        with open(path, encoding="utf-8", errors="replace") as f:
            xml = f.read()
        for name, content in META.findall(xml):
            content = html.unescape(content)
            if name == "OVERHEIDop.documenttitel" and " over " in content:
                over.append(content.split(" over ", 1)[1])
            elif name == "OVERHEIDop.indiener":
                names.append(content)
            elif name == "OVERHEID.category":
                categories.append(content)
        m = re.search(r"<dossier>.*?<titel>(.*?)</titel>", xml, re.S)
        if m:
            dossier_titles.append(html.unescape(TAG.sub("", m.group(1))).strip())
        for al in AL.findall(xml):
            text = html.unescape(TAG.sub("", al)).split()
            if len(text) >= 4:
                tokens.extend(text)
                tokens.append(None)
    for path in sorted(glob.glob(os.path.join(corpus, "sgd", "*.txt")))[:max_sgd]:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                words = line.split()
                if len(words) >= 6:
                    tokens.extend(words)
                    tokens.append(None)
    vocab = {}
    ids = []
    for t in tokens:
        if t is None:
            ids.append(-1)
        else:
            ids.append(vocab.setdefault(t, len(vocab)))
    words = [None] * len(vocab)
    for w, i in vocab.items():
        words[i] = w
    succ = [[] for _ in words]
    starts = []
    prev = -1
    at_start = True
    for i in ids:
        if i < 0:
            prev, at_start = -1, True
            continue
        if prev >= 0:
            succ[prev].append(i)
        if at_start:
            starts.append(i)
        at_start = words[i].endswith((".", ";", ":"))
        prev = i
    return {
        "version": MODEL_VERSION,
        "words": words,
        "succ": succ,
        "starts": starts,
        "over": over,
        "dossier_titles": dossier_titles,
        "names": names,
        "categories": categories,
        "tokens": sum(1 for i in ids if i >= 0),
    }


def load_model(corpus, cache, max_sgd):
    if os.path.exists(cache):
        with open(cache, "rb") as f:
            m = pickle.load(f)
        if m.get("version") == MODEL_VERSION:
            return m
    m = build_model(corpus, max_sgd)
    with open(cache, "wb") as f:
        pickle.dump(m, f, protocol=pickle.HIGHEST_PROTOCOL)
    return m


class Gen:
    PARTIES = ["VVD", "PVV", "GL-PvdA", "NSC", "BBB", "D66", "CDA", "SP", "ChristenUnie", "SGP",
               "PvdD", "DENK", "Volt", "JA21", "FvD"]
    MINISTERS = [
        ("Minister van Volksgezondheid, Welzijn en Sport", "VWS"),
        ("Staatssecretaris Langdurige en Maatschappelijke Zorg", "VWS"),
        ("Minister van Justitie en Veiligheid", "JenV"),
        ("Minister van Onderwijs, Cultuur en Wetenschap", "OCW"),
        ("Minister van Infrastructuur en Waterstaat", "IenW"),
        ("Minister van Sociale Zaken en Werkgelegenheid", "SZW"),
        ("Minister van Financiën", "Fin"),
        ("Minister van Binnenlandse Zaken en Koninkrijksrelaties", "BZK"),
    ]
    TOELICHTING = ["Draagvlak politiek", "Draagvlak maatschappelijk en eenduidige communicatie",
                   "Arbeidsmarkteffecten zorg- en welzijnsveld", "Gevolgen administratieve lasten",
                   "Financiële en personele gevolgen VWS en uitvoeringsorganisaties",
                   "Juridische aspecten haalbaarheid",
                   "Afstemming (intern, interdepartementaal en met veldpartijen)", "Toezeggingen",
                   "Fraudetoets"]
    MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
              "september", "oktober", "november", "december"]

    def __init__(self, model, seed):
        self.m = model
        self.r = random.Random(seed)
        self.words = model["words"]
        self.succ = model["succ"]
        self.starts = model["starts"]
        self.vocab = {w: i for i, w in enumerate(self.words)}

    def sentence(self, first=None, max_len=40):
        r = self.r
        out = []
        if first:
            out.extend(first.split())
            # continue from the last given word if the chain knows it
            cur = self.vocab.get(out[-1], -1)
        else:
            cur = r.choice(self.starts)
            out.append(self.words[cur])
        n = 0
        while n < max_len:
            if cur < 0:
                cur = r.choice(self.starts)
            else:
                nxt = self.succ[cur]
                if not nxt:
                    break
                cur = r.choice(nxt)
            w = self.words[cur]
            out.append(w)
            n += 1
            if w.endswith((".", ";", ":")) and n > 5:
                break
        s = " ".join(out)
        if not s.endswith((".", ";", ":", ",")):
            s += "."
        return s

    def paragraph(self, sentences):
        return " ".join(self.sentence() for _ in range(sentences))

    def date(self):
        r = self.r
        y = r.choice([2023, 2024, 2025])
        mo = r.randint(1, 12)
        d = r.randint(1, 28)
        return y, mo, d

    def person(self):
        n = self.r.choice(self.m["names"]) if self.m["names"] else "J. Jansen"
        return n, n.split()[-1]

    # -- motion XML ---------------------------------------------------------------------------

    def motion(self, i):
        r = self.r
        dossier = 40000 + i // 250
        nr = i % 250 + 1
        dtitle = r.choice(self.m["dossier_titles"]) if self.m["dossier_titles"] else "Vreemdelingenbeleid"
        y, mo, d = self.date()
        vj = f"{y}-{y + 1}" if mo >= 9 else f"{y - 1}-{y}"
        people = [self.person() for _ in range(r.choice([1, 1, 1, 2, 2, 3]))]
        surnames = [p[1] for p in people]
        lid = ("het lid " + surnames[0]) if len(people) == 1 else (
            "de leden " + ", ".join(surnames[:-1]) + " en " + surnames[-1])
        over = r.choice(self.m["over"]) if self.m["over"] else self.sentence(max_len=8).rstrip(".")
        doctitle = f"Motie van {lid} over {over}"
        esc = html.escape
        meta = [f'<meta name="OVERHEIDop.externMetadataRecord" scheme="" '
                f'content="https://zoek.officielebekendmakingen.nl/kst-{dossier}-{nr}/metadata.xml"/>']
        if r.random() < 0.25:
            meta = [
                f'<meta name="DC.identifier" scheme="OVERHEIDop.ParlID" content="kst-{dossier}-{nr}"/>',
                f'<meta name="OVERHEIDop.ondernummer" content="{nr}"/>',
                '<meta name="DC.type" scheme="OVERHEIDop.KamerstukTypen" content="Motie"/>',
                f'<meta name="OVERHEIDop.dossiernummer" content="{dossier}"/>',
                f'<meta name="OVERHEIDop.documenttitel" scheme="" content="{esc(doctitle)}"/>',
            ] + [f'<meta name="OVERHEIDop.indiener" scheme="" content="{esc(p[0])}"/>' for p in people] + [
                f'<meta name="OVERHEIDop.dossiertitel" scheme="" content="{esc(dtitle)}"/>',
                f'<meta name="OVERHEIDop.vergaderjaar" scheme="" content="{vj}"/>',
                f'<meta name="DCTERMS.issued" scheme="DCTERMS.W3CDTF" content="{y}-{mo:02}-{d:02}"/>',
                f'<meta name="DC.title" scheme="" content="{esc(dtitle)}; Motie; {esc(doctitle)}"/>',
            ] + [f'<meta name="OVERHEID.category" scheme="OVERHEID.TaxonomieBeleidsagenda" content="{esc(c)}"/>'
                 for c in sorted({r.choice(self.m["categories"]) for _ in range(r.randint(1, 3))})
                 if self.m["categories"]] + meta
        als = ["De Kamer,", "gehoord de beraadslaging,"]
        for _ in range(r.randint(1, 4)):
            als.append(self.sentence(first=r.choice(["constaterende dat", "overwegende dat"])))
        for _ in range(r.randint(1, 2)):
            als.append(self.sentence(first="verzoekt de regering"))
        als.append("en gaat over tot de orde van de dag.")
        body = "\n".join(f"            <al>{esc(a)}</al>" for a in als)
        group = "\n".join(f"              <al>{esc(s)}</al>" for s in surnames)
        dossier_nr = f"{str(dossier)[:2]} {str(dossier)[2:]}"
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <metadata>
    {chr(10).join('    ' + x for x in meta).strip()}
  </metadata>
  <kamerstuk>
    <kamerstukkop>
      <tekstregel inhoud="vergaderjaar">Vergaderjaar {vj}</tekstregel>
      <tekstregel inhoud="kameraanduiding">Tweede Kamer der Staten-Generaal</tekstregel>
      <tekstregel inhoud="kamernummer">2</tekstregel>
      <tekstregel inhoud="documenttype">Kamerstukken</tekstregel>
    </kamerstukkop>
    <dossier>
      <dossiernummer>
        <dossiernr>{dossier_nr}</dossiernr>
      </dossiernummer>
      <titel>{esc(dtitle)}</titel>
    </dossier>
    <stuk>
      <stuknr>Nr. <ondernummer kamer="2">{nr}</ondernummer></stuknr>
      <titel>MOTIE VAN {esc(lid.upper())}</titel>
      <datumtekst>Voorgesteld <datum isodatum="{y}-{mo:02}-{d:02}">{d} {self.MONTHS[mo - 1]} {y}</datum></datumtekst>
      <algemeen>
        <vrije-tekst>
          <tekst status="goed">
{body}
            <al-groep>
{group}
            </al-groep>
          </tekst>
        </vrije-tekst>
      </algemeen>
    </stuk>
  </kamerstuk>
</officiele-publicatie>
""", f"kst-{dossier}-{nr}.xml"

    # -- beslisnota ---------------------------------------------------------------------------

    def beslisnota(self, i):
        r = self.r
        who, _ = r.choice(self.MINISTERS)
        y, mo, d = self.date()
        onderwerp = self.sentence(max_len=10).rstrip(".")
        parts = [f"Aan {who}", f"Deadline: {d} {self.MONTHS[mo - 1]} {y}", "", "nota",
                 f"TER BESLISSING {onderwerp}", "", "1. Aanleiding", "", self.paragraph(r.randint(2, 5)),
                 "", "2. Geadviseerd besluit",
                 f"U wordt geadviseerd in te stemmen met {self.sentence(max_len=15)}", "",
                 "3. Kernpunten", ""]
        for _ in range(r.randint(2, 4)):
            parts += [self.paragraph(r.randint(2, 4)), ""]
        parts += ["4. Toelichting", ""]
        items = r.sample(self.TOELICHTING, r.randint(3, 7))
        for k, item in enumerate(items):
            parts += [f"{chr(ord('a') + k)}. {item}", "", self.paragraph(r.randint(1, 4)), ""]
        if r.random() < 0.5:
            parts += ["5. Informatie die niet openbaar gemaakt kan worden", "a. Motivering",
                      self.paragraph(1), ""]
        parts.append(f"Kenmerk {4000000 + i}-{1000000 + i}-DMO")
        return "\n".join(parts) + "\n", f"beslisnota-{i:08}.txt"

    # -- Kamerbrief ---------------------------------------------------------------------------

    def kamerbrief(self, i):
        r = self.r
        who, _ = r.choice(self.MINISTERS)
        y, mo, d = self.date()
        dtitle = r.choice(self.m["dossier_titles"]) if self.m["dossier_titles"] else "Aanpak huiselijk geweld"
        dossier = 30000 + (i * 7) % 9000
        parts = [f"{dossier}   {dtitle}", f"Nr. {r.randint(1, 400)} Brief van de {who.lower()}", "",
                 "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
                 f"Den Haag, {d} {self.MONTHS[mo - 1]} {y}", "", "Geachte voorzitter,", "",
                 self.paragraph(r.randint(2, 4)), ""]
        for _ in range(r.randint(2, 6)):
            head = " ".join(self.sentence(max_len=5).rstrip(".").split()[:5])
            parts += [head[:1].upper() + head[1:], ""]
            for _ in range(r.randint(1, 3)):
                parts += [self.paragraph(r.randint(2, 5)), ""]
        parts += ["Hoogachtend,", "", f"de {who.lower()},", "", self.person()[0]]
        return "\n".join(parts) + "\n", f"kamerbrief-{i:08}.txt"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--docs", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--mix", default="70,15,15", help="percent motions,beslisnota's,kamerbrieven")
    ap.add_argument("--max-sgd", type=int, default=1500, help="SGD files read for the chain")
    ap.add_argument("--model", help="model cache (default: OUT/../gen-model.pickle)")
    a = ap.parse_args()
    cache = a.model or os.path.join(os.path.dirname(os.path.abspath(a.out)), "gen-model.pickle")
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    model = load_model(a.corpus, cache, a.max_sgd)
    g = Gen(model, a.seed)
    mix = [int(x) for x in a.mix.split(",")]
    kinds = [g.motion, g.beslisnota, g.kamerbrief]
    os.makedirs(a.out, exist_ok=True)
    total = 0
    for i in range(a.docs):
        kind = g.r.choices(range(3), weights=mix)[0]
        text, name = kinds[kind](i)
        sub = os.path.join(a.out, f"{i // 10000:04}")
        if i % 10000 == 0:
            os.makedirs(sub, exist_ok=True)
        with open(os.path.join(sub, name), "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode())
    print(f"gen_corpus: {a.docs} documents, {total / 1e6:.1f} MB in {a.out} "
          f"(model: {model['tokens']} tokens, {len(model['words'])} words)", file=sys.stderr)


if __name__ == "__main__":
    main()
