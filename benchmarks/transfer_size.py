"""Bytes a browser transfers for the comparison dashboard, first and repeat load (Chromium, Playwright).

Used by benchmarks/pages.py (printed) and tests/browser/test_transfer_size.py (checked). The figure is
what Chromium's network layer reports per response (Network.loadingFinished encodedDataLength: headers
plus the body as sent, compressed when it was); a response served from the browser cache counts 0.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

from benchmarks.common import log_in

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@dataclass
class Load:
    """What one page load transferred: bytes per URL."""

    sizes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    @property
    def requests(self) -> int:
        return len(self.sizes)

    def largest(self, n: int) -> list[tuple[str, int]]:
        return sorted(self.sizes.items(), key=lambda item: -item[1])[:n]


class Recorder:
    """Adds up, per URL, the bytes of every response the page receives while recording."""

    def __init__(self, page):
        self.load, self._urls = Load(), {}
        self._cdp = page.context.new_cdp_session(page)
        self._cdp.send("Network.enable")
        self._cdp.on("Network.responseReceived", self._received)
        self._cdp.on("Network.loadingFinished", self._finished)

    def _received(self, event) -> None:
        self._urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event) -> None:
        url = self._urls.get(event["requestId"], event["requestId"])
        self.load.sizes[url] = self.load.sizes.get(url, 0) + int(event["encodedDataLength"])

    def stop(self) -> Load:
        self._cdp.detach()
        return self.load


READY = "[data-figure][data-drawn=true]"


def transfer_of(page, base: str, email: str, password: str, path: str = "/dashboard/") -> tuple[Load, Load]:
    """(first load, repeat load) in the page's fresh browser profile. First: the log-in page, logging in
    and the dashboard, with an empty cache, as on a first visit; repeat: opening the dashboard again."""
    recorder = Recorder(page)
    log_in(page, base, email, password)
    page.goto(base + path)
    page.wait_for_selector(READY)
    page.wait_for_load_state("networkidle")
    first = recorder.stop()
    recorder = Recorder(page)
    page.goto(base + path)
    page.wait_for_selector(READY)
    page.wait_for_load_state("networkidle")
    return first, recorder.stop()


def dashboard_transfer(base: str, email: str, password: str, path: str = "/dashboard/") -> tuple[Load, Load]:
    """transfer_of in a Chromium started for the purpose."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            return transfer_of(browser.new_context().new_page(), base, email, password, path)
        finally:
            browser.close()
