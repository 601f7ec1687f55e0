"""A printed sheet's <style> and the policy source that allows exactly it."""

from __future__ import annotations

from wushe_service import sheet_style


def test_the_source_is_the_hash_of_the_elements_content_only():
    assert sheet_style.element("") == "<style></style>"
    assert sheet_style.source("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    assert sheet_style.source("h1 { color: red }") != sheet_style.source("h1 { color: red } ")


def test_a_sheet_served_on_its_own_allows_its_style_and_nothing_else():
    policy = sheet_style.headers("h1 { color: red }")["Content-Security-Policy"]
    assert f"style-src {sheet_style.source('h1 { color: red }')};" in policy
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "script-src" not in policy  # none runs: default-src 'none'
