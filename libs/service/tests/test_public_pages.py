"""The public pages' common parts: a whole page in Chinese, and a paged list's own links."""

import pytest

from wushe_service.public_pages import Links, document
from wushe_service.settings import ServiceSettings


def test_a_page_escapes_its_title_and_carries_the_common_style_before_its_own():
    page = document("<丰山> · 收支公示", ".mine { color: red; }", "<h1>x</h1>")
    assert page.startswith('<!doctype html><html lang="zh-CN">')
    assert "<title>&lt;丰山&gt; · 收支公示</title>" in page
    assert page.index("Microsoft YaHei") < page.index(".mine")
    assert "<h1>x</h1>" in page


def test_the_links_keep_the_filters_drop_the_empty_and_escape_the_address():
    link = Links("/public/wishes", {"community_id": "a&b", "state": ["posted", "claimed"]})
    assert link() == (
        "/public/wishes?community_id=a%26b&amp;state=posted&amp;state=claimed&amp;format=html"
    )
    assert link("json", state=None) == "/public/wishes?community_id=a%26b&amp;format=json"
    assert link.next_page(None) == ""
    assert "cursor=c1" in link.next_page("c1")
    assert "format=json" in link.json()


def test_an_offices_contact_on_several_lines_is_refused():
    # Every service's public pages print it in a sentence: one line, or none (blank).
    with pytest.raises(ValueError, match="public_contact"):
        ServiceSettings(office="yuyao", public_contact="阳明街道社工站\n0574-62345678")
    assert ServiceSettings(office="yuyao", public_contact=" ").public_contact is None
