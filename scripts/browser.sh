#!/usr/bin/env bash
# The headless browser the page tests use: Debian's chromium and CJK fonts (so Chinese
# renders in screenshots). Idempotent: installs only what is missing.
#
#   scripts/browser.sh install    install chromium and fonts-noto-cjk if missing
#   scripts/browser.sh check      exit 0 if both are there, 1 (saying what is missing) if not
#
# The Python side is the `playwright` package from PyPI, which carries its own driver;
# `playwright install` is never needed (and cannot download here): the tests launch
# /usr/bin/chromium.
set -euo pipefail

missing() {
    local out=()
    [ -x /usr/bin/chromium ] || out+=(chromium)
    dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "install ok installed" || out+=(fonts-noto-cjk)
    echo "${out[@]:-}"
}

case "${1:-}" in
    install)
        need=$(missing)
        if [ -z "$need" ]; then
            echo "browser.sh: chromium and fonts-noto-cjk are installed"
            exit 0
        fi
        SUDO=""
        if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
        export DEBIAN_FRONTEND=noninteractive
        echo "browser.sh: installing $need"
        $SUDO apt-get update -qq
        # shellcheck disable=SC2086  # one word per package
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need
        ;;
    check)
        need=$(missing)
        if [ -n "$need" ]; then
            echo "browser.sh: missing: $need (run scripts/browser.sh install)" >&2
            exit 1
        fi
        echo "browser.sh: chromium and fonts-noto-cjk are installed"
        ;;
    *)
        echo "usage: scripts/browser.sh install|check" >&2
        exit 2
        ;;
esac
