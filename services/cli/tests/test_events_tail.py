"""`wushe events tail` as an integrator runs it."""

import asyncio
import json
import os
import subprocess
import sys
from uuid import uuid4

import pytest

from wushe_cli.tail import subject_filter
from wushe_events.catalogue.needs import CommunityRegistered, WishExpired
from wushe_events.testing import envelope_of, publish


@pytest.mark.parametrize(
    ("office", "event_type", "subject"),
    [
        (None, None, "wushe.*.>"),
        ("yuyao", None, "wushe.yuyao.>"),
        ("yuyao", "needs.wish.claimed", "wushe.yuyao.needs.wish.claimed"),
        (None, "wushe.needs.wish.claimed.v1", "wushe.*.needs.wish.claimed"),
    ],
)
def test_the_subject_followed(office, event_type, subject):
    assert subject_filter(office, event_type) == subject


def test_a_type_must_name_service_aggregate_and_event():
    with pytest.raises(ValueError, match="service"):
        subject_filter(None, "wish.claimed")


async def test_tail_replays_an_offices_stream_filtered_by_type(nats_url, js, office, tmp_path):
    for event in (
        CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道"),
        WishExpired(wish_id=uuid4(), community_id="fengshan"),
        CommunityRegistered(community_id="lanjiang", name="兰江社区", street="兰江街道"),
    ):
        await publish(js, envelope_of(office, event))
    env = {**os.environ, "WUSHE_NATS_URL": nats_url}
    done = await asyncio.to_thread(
        subprocess.run,
        [
            sys.executable,
            "-m",
            "wushe_cli",
            "events",
            "tail",
            "--office",
            office,
            "--type",
            "needs.community.registered",
            "--from-start",
            "--count",
            "2",
            "--json",
        ],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    shown = [json.loads(line) for line in done.stdout.splitlines()]
    assert [e["data"]["community_id"] for e in shown] == ["fengshan", "lanjiang"]


async def test_an_office_without_a_stream_here_is_said_not_a_traceback(nats_url, tmp_path):
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "wushe_cli", "events", "tail", "--office", "nowhere"],
        env={**os.environ, "WUSHE_NATS_URL": nats_url, "COLUMNS": "300"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stderr
    assert "no stream WUSHE_NOWHERE" in done.stderr
    assert "Traceback" not in done.stderr


async def test_from_the_start_reads_the_office_its_data_folder_names(
    nats_url, js, office, tmp_path
):
    await publish(
        js,
        envelope_of(
            office, CommunityRegistered(community_id="fengshan", name="丰山社区", street="阳明街道")
        ),
    )
    folder = tmp_path / ".wushe-office"
    folder.mkdir()
    (folder / "office.env").write_text(f"WUSHE_OFFICE={office}\nWUSHE_NATS_URL={nats_url}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("WUSHE_OFFICE", "WUSHE_NATS_URL")}

    def tail(**extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wushe_cli", "events", "tail", "--from-start", "--count", "1",
             "--json"],
            env={**env, **extra, "COLUMNS": "300"},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )  # fmt: skip

    done = await asyncio.to_thread(tail, WUSHE_DATA_DIR=str(folder))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["office"] == office
    unconfigured = await asyncio.to_thread(tail)  # no office anywhere: said, not guessed
    assert unconfigured.returncode == 2
    assert "give --office" in unconfigured.stderr
