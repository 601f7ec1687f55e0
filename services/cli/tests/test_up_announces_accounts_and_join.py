"""`wushe up` names the admin's 账号管理 page and the public 志愿者报名 form it serves."""

from pathlib import Path

from rich.console import Console

from wushe_cli.up import _announce


def test_the_announcement_names_the_accounts_page_and_the_sign_up_form(tmp_path: Path):
    console = Console(record=True, width=200)
    urls = {s: f"http://127.0.0.1:{p}" for s, p in (("needs", 8101), ("volunteers", 8102))}
    secrets = {"admin_token": "wst_x"}
    _announce(console, "yuyao", urls, "nats://x", "postgresql://x", secrets, tmp_path / "logs")
    said = console.export_text()
    assert "http://127.0.0.1:8102/accounts   (账号管理" in said
    assert "http://127.0.0.1:8102/join   (志愿者报名" in said
