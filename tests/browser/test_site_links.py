"""The built site's links, anchors and assets (gdbook/sitecheck.py); no browser needed, but
marked `browser` with the rest of this folder because it needs the built site."""

from gdbook.sitecheck import check_site, format_weights
from sitenav import base_path, nav_pages


def test_links_anchors_and_no_external_assets(built_site):
    report = check_site(built_site, base_path())
    print(format_weights(report.weights))
    assert report.weights, "no pages found in the built site"
    assert report.problems == []


def test_every_page_of_the_page_tree_is_built(built_site):
    missing = [url for _, url in nav_pages() if not (built_site / url / "index.html").is_file()]
    assert missing == []
