"""A first visit to the comparison dashboard transfers at most 1.6 MB (the chart library travels compressed)
and a repeat visit at most 50 kB (versioned files come from the browser cache), with the charts drawn and
no Content-Security-Policy violation."""
import pytest

from app import assets
from benchmarks.transfer_size import transfer_of
from tests.browser.test_dashboard import COMPARISON, EMAIL, PASSWORD, dashboard_data  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def compressed(dashboard_data):  # noqa: F811
    """The gzip and brotli copies, as `make install` builds them (kept when they are up to date)."""
    assets.compress(dashboard_data.app)
    return dashboard_data


def test_the_comparison_dashboard_transfers_at_most_1_6_mb_first_and_50_kb_again(page, compressed):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    first, repeat = transfer_of(page, compressed.url, EMAIL, PASSWORD, COMPARISON)
    plotly = next(url for url in first.sizes if "/plotly-" in url)
    assert first.sizes[plotly] < 1_200_000, "plotly.min.js (4.8 MB) should travel compressed"
    assert first.total <= 1_600_000, first.largest(5)
    assert repeat.total <= 50_000, repeat.largest(5)
    assert repeat.sizes.get(plotly, 0) == 0, "the versioned chart library comes from the cache"
    assert not errors, errors
