"""What `wushe up --demo` says of the demo it finds (the run itself: tests/e2e/test_up.py)."""

from __future__ import annotations

from pathlib import Path

from wushe_cli.up import DEMO_TOKENS, demo_said, keep_demo_tokens


def test_a_demo_loaded_now_or_whole_before_is_said_so(tmp_path: Path):
    assert demo_said(True, tmp_path) == "demo data loaded"
    keep_demo_tokens(tmp_path, [{"role": "social_worker", "name": "王社工", "token": "wst_x"}])
    assert demo_said(False, tmp_path) == "demo data already present (kept)"


def test_a_demo_an_earlier_run_stopped_loading_is_not_kept_as_whole(tmp_path: Path):
    said = demo_said(False, tmp_path)  # its first community there, its people's tokens not
    assert "only partly present" in said
    assert DEMO_TOKENS in said
    assert str(tmp_path) in said
