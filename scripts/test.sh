#!/usr/bin/env bash
# Install what the tests need and run the whole test suite (the README's test command; .ci/run calls it).
#   Python packages: the project with its [test] extras (pip; into the active virtual
#     environment if there is one — .ci/run makes a fresh one)
#   Debian's Chromium and CJK fonts: the browser tests and the charts (scripts/browser.sh)
#   Debian's Virtuoso: the SPARQL endpoint tests (scripts/virtuoso.sh; the tests start it on loopback)
#   Debian's LibreOffice (headless Writer and Calc): legacy Office files and the format tests (scripts/office.sh)
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k query`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -e '.[test]'
bash scripts/browser.sh install
bash scripts/virtuoso.sh install
bash scripts/office.sh install
python3 -m pytest "$@"
