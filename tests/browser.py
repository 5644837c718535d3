"""Headless Chromium for the page tests: Debian's /usr/bin/chromium driven by the playwright package.

`scripts/browser.sh install` installs chromium and fonts-noto-cjk; `playwright install` is
never run (it cannot download here). A missing browser FAILS the tests, it never skips them.
Import the fixture into a test module: ``from browser import browser  # noqa: F401``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/browser.sh install (Debian's chromium and fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install 'playwright>=1.40,<2' "
                    "(never `playwright install`; the tests use /usr/bin/chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, timeout=WAIT_MS)
        yield b
        b.close()
