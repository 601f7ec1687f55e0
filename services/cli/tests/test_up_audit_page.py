"""`wushe up` names the page 审计查询 among the staff's pages, with the other workbenches."""

from pathlib import Path

from rich.console import Console

from wushe_cli.up import _announce


def test_the_announcement_names_the_auditors_page(tmp_path: Path):
    console = Console(record=True, width=200)
    urls = {s: f"http://127.0.0.1:{p}" for s, p in (("needs", 8101), ("volunteers", 8102))}
    _announce(
        console,
        "yuyao",
        urls,
        "nats://127.0.0.1:4222",
        "postgresql://x",
        {"admin_token": "wst_x"},
        tmp_path / "logs",
    )
    said = console.export_text()
    assert "http://127.0.0.1:8101/audit   (审计查询: an auditor's token" in said
