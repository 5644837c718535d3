#!/usr/bin/env bash
# LibreOffice, headless, for reading legacy Office files (.doc .wps .xls .et .odt .ods) and
# for the format tests that make .doc/.pdf/.odt/.xls/.ods files the way planners do.
# Debian's no-GUI Writer and Calc. Idempotent: installs only when `soffice` is missing.
#
#   scripts/office.sh install    install libreoffice-writer-nogui and libreoffice-calc-nogui if soffice is missing
#   scripts/office.sh check      exit 0 if soffice is there, 1 (saying what to install) if not
set -euo pipefail

PACKAGES="libreoffice-writer-nogui libreoffice-calc-nogui"

case "${1:-}" in
    install)
        if command -v soffice >/dev/null 2>&1; then
            echo "office.sh: soffice is installed ($(command -v soffice))"
            exit 0
        fi
        SUDO=""
        if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
        echo "office.sh: installing $PACKAGES"
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086  # one word per package
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES
        ;;
    check)
        if ! command -v soffice >/dev/null 2>&1; then
            echo "office.sh: missing: soffice (run scripts/office.sh install)" >&2
            exit 1
        fi
        echo "office.sh: soffice is installed ($(command -v soffice))"
        ;;
    *)
        echo "usage: scripts/office.sh install|check" >&2
        exit 2
        ;;
esac
