"""Headless Chromium for the review page tests: Debian's `chromium` (installed by the README's test command
and .ci/run), driven by Playwright with `executable_path`, so no browser is downloaded.

The page is drawn with the repository's font (tests/fixtures/fonts) through a fontconfig file, so that
screenshots show Chinese on a machine with no Chinese font; the page itself loads no font.

    chromium_path()            the browser, or None
    launch(playwright)         a browser with the repository's font
    Opened(page) / open_page   a page with its console errors, page errors and dialogs recorded
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fixtures" / "fonts"
CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
VIEWPORT = {"width": 1600, "height": 1000}


def chromium_path() -> str | None:
    given = os.environ.get("BULLETIN_CHROMIUM")
    if given:
        return given
    return next((p for p in map(shutil.which, CANDIDATES) if p), None)


def _fontconfig() -> str:
    d = Path(tempfile.mkdtemp(prefix="bulletin-fc-"))
    conf = d / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{d / 'cache'}</cachedir>\n</fontconfig>\n", encoding="utf-8")
    return str(conf)


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(),
                                      env={**os.environ, "FONTCONFIG_FILE": _fontconfig()})


@dataclass
class Opened:
    page: object
    errors: list[str] = field(default_factory=list)  # console errors and warnings, uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt: a script that ran
    load_seconds: float = 0.0


def open_page(browser, path: Path) -> Opened:
    import time

    page = browser.new_page(viewport=VIEWPORT)
    opened = Opened(page)
    page.on("console", lambda m: opened.errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: opened.errors.append(f"page error: {e}"))

    def dialog(d):
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    start = time.perf_counter()
    page.goto(path.resolve().as_uri(), wait_until="load")
    opened.load_seconds = time.perf_counter() - start
    return opened
