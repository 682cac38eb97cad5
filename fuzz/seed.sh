#!/bin/sh
# Builds the seed corpora fuzz/corpus/<target>/ from real documents (prefixes of them, so
# libFuzzer's -max_len keeps whole seeds). The corpora themselves are not committed.
# Usage: fuzz/seed.sh   (from anywhere; reads ../shared next to the workspace when present)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
shared=${KAMERZOEK_SHARED:-$root/../shared}
out=$here/corpus

# prefix FILE BYTES DEST: the first BYTES bytes of FILE.
prefix() { head -c "$2" "$1" > "$3"; }

mkdir -p "$out/ingest_text" "$out/ingest_xml" "$out/query"

# ingest_text: the bundled text documents, the shared seed documents, 40 SGD letters.
for f in "$root"/corpus/*.txt "$shared"/seeds/*.txt; do
    if [ -f "$f" ]; then prefix "$f" 8192 "$out/ingest_text/$(basename "$f")"; fi
done
if [ -d "$shared/corpus/sgd" ]; then
    ls "$shared/corpus/sgd" | awk 'NR % 120 == 1' | head -n 40 | while read -r f; do
        prefix "$shared/corpus/sgd/$f" 8192 "$out/ingest_text/$f"
    done
fi

# ingest_xml: the bundled motion, 25 shared moties whole and cut at a third and two thirds
# (truncated XML is an error path worth covering).
for f in "$root"/corpus/*.xml; do
    prefix "$f" 16384 "$out/ingest_xml/$(basename "$f")"
done
if [ -d "$shared/corpus/moties" ]; then
    ls "$shared/corpus/moties" | awk 'NR % 300 == 1' | head -n 25 | while read -r f; do
        src="$shared/corpus/moties/$f"
        size=$(wc -c < "$src")
        prefix "$src" 16384 "$out/ingest_xml/$f"
        prefix "$src" $((size / 3)) "$out/ingest_xml/$f.third"
        prefix "$src" $((size * 2 / 3)) "$out/ingest_xml/$f.twothirds"
    done
fi

# pdf: small hand-made PDFs (uncompressed text operators) and the real one-page PDFs.
mkdir -p "$out/pdf"
if command -v python3 > /dev/null; then
    python3 "$here/minipdf.py" "$out/pdf"
fi
for f in "$shared"/corpus/pdf/*1pag*.pdf; do
    if [ -f "$f" ]; then cat "$f" > "$out/pdf/$(basename "$f")"; fi
done

# query: one query per file, the language's features and the README's examples.
n=0
while IFS= read -r q; do
    n=$((n + 1))
    printf '%s' "$q" | sed 's/\\n/\n/g' > "$out/query/seed-$n"
done <<'QUERIES'
vrouwenopvang
"huiselijk geweld" OR femicide
vrouwenopvang OR blijf femicide
+opvang -stalking NOT femicide
title:"huiselijk geweld" opvang* matie~ date:[2024-01-01 TO 2024-12-31]
kernpunten:opvang verzoek:regering aanleiding:stalking
ministry:VWS type:motie motion:29279-890 year:2025
date:>=2024 date:<2025-06-01 datum:2024-11-14
(jeugdzorg OR jeugdhulp) AND (gemeenten NOT rijk)
indiener:Temmink heading:opvang body:wachttijd~2
29279-890 36600-XVI-99 kamerstuk:36600-XVI-99 id:kamerbrief-vrouwenopvang
coördinatie ministerie:VWZ section:kernpunten topic:zorg
Kamerstukken II, 2024-2025, 29279, nr. 890
opvang\nm:VWS\nd:motie\ny:2024\nf:2024-01-01\no:2024-12-31
opvang\nk:29279-890\ns:overwegingen\nt:Zorg en gezondheid\ng:\nS:\nl:5\np:1
motie\nM:36600-XVI-99\nM:29279\nS:asc
QUERIES
for t in ingest_text ingest_xml pdf query; do
    echo "$t: $(ls "$out/$t" | wc -l) seed files"
done
