#!/usr/bin/env bash
# Installs what benches/ needs beyond Rust: Debian's python3 (/usr/bin/python3, with sqlite3 +
# FTS5) and python3-xapian. Idempotent; quiet when everything is there.
set -euo pipefail
if /usr/bin/python3 -c 'import xapian, sqlite3; sqlite3.connect(":memory:").execute("create virtual table t using fts5(a)")' 2>/dev/null; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq python3 python3-xapian >/dev/null
/usr/bin/python3 -c 'import xapian, sqlite3; print("benches/install.sh: xapian", xapian.version_string(), "sqlite", sqlite3.sqlite_version)'
