#!/bin/sh
# Runs fuzz targets one after another, each for SECONDS (default 900) with one job, under the
# shared heavy-work lock so it never overlaps a benchmark. Logs (with start/end times) go to
# artifacts/<target>.log, crash and timeout inputs to artifacts/<target>/.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (build first: see README.md)
# FUZZ_EXTRA adds libFuzzer flags, e.g. FUZZ_EXTRA="-fork=1 -ignore_crashes=1" to run past a
# known crash.
set -u
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
secs=${1:-900}
[ $# -gt 0 ] && shift
targets=${*:-ingest_text ingest_xml query pdf}
bin=target/x86_64-unknown-linux-gnu/release
for t in $targets; do
    case $t in
        ingest_text) opts="-max_len=8192" ;;
        ingest_xml) opts="-max_len=16384 -dict=dict/xml.dict" ;;
        query) opts="-max_len=4096 -dict=dict/query.dict" ;;
        pdf) opts="-max_len=70000" ;;
        *) opts="-max_len=16384" ;;
    esac
    mkdir -p "artifacts/$t" "corpus/$t"
    log=artifacts/$t.log
    # shellcheck disable=SC2086
    flock /tmp/kamerzoek-heavy.lock sh -c "
        echo \"start \$(date -u +%FT%TZ)\"
        $bin/$t $opts ${FUZZ_EXTRA:-} -timeout=10 -rss_limit_mb=2048 -max_total_time=$secs \
            -print_final_stats=1 -artifact_prefix=artifacts/$t/ corpus/$t 2>&1
        echo \"exit \$? end \$(date -u +%FT%TZ)\"
    " >> "$log" 2>&1
    tail -n 25 "$log" | grep -E '^(stat::|exit|start|#[0-9]+ +DONE)|ERROR|SUMMARY' || true
done
