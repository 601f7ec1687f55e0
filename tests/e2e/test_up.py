"""`wushe up` (what `make up` runs): a whole office with embedded servers, twice."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest

from wushe_cli.services import SERVICES

pytestmark = pytest.mark.e2e


def start_up(data_dir: Path, office: str, output: Path, *options: str) -> subprocess.Popen[bytes]:
    return wushe(
        ["up", "--demo", "--data-dir", str(data_dir), "--office", office, *options], output
    )


def wushe(arguments: list[str], output: Path) -> subprocess.Popen[bytes]:
    """`wushe …` with embedded servers (none of the test run's server URLs or secrets)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in ("WUSHE_NATS_URL", "WUSHE_DATABASE_URL", "WUSHE_ADMIN_TOKEN", "WUSHE_OFFICE_KEY")
    }
    return subprocess.Popen(
        [sys.executable, "-m", "wushe_cli", *arguments],
        env={**env, "COLUMNS": "200"},
        stdout=output.open("wb"),
        stderr=subprocess.STDOUT,
    )


def wait_running(process: subprocess.Popen[bytes], output: Path, timeout: float = 150) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        if "Press Ctrl-C to stop." in text:
            return text
        if process.poll() is not None:
            raise AssertionError(f"wushe up exited with {process.returncode}:\n{text}")
        time.sleep(0.2)
    process.kill()
    raise AssertionError(f"wushe up not running after {timeout}s:\n{output.read_text()}")


def overview(reporting_url: str, office: str) -> dict:
    offices = httpx.get(f"{reporting_url}/api/overview", timeout=5).json()["offices"]
    return next((o for o in offices if o["office"] == office), {})


# Raised: the community fund's three donations, and the office-wide fund's one (for its
# round parted between the communities).
DEMO = {"communities": 4, "residents": 5, "volunteers": 3, "raised_fen": 528_800 + 800_000}
# As anyone reads the overview (no token): a count about residents rounded to a multiple of
# WUSHE_PUBLIC_MIN_COUNT (3), the demo's five residents as 6; the others exact.
DEMO_PUBLIC = DEMO | {"residents": 6}


def wait_for_overview(
    reporting_url: str, office: str, expected: dict[str, int], timeout: float = 30
) -> dict:
    """The office's overview once it shows `expected` (the events arrive one by one)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = overview(reporting_url, office)
        if all(found.get(k) == v for k, v in expected.items()):
            return found
        time.sleep(0.1)
    raise AssertionError(f"overview never showed {expected}: {found}")


def log_tails(folder: Path, lines: int = 40) -> str:
    """The end of every log under `folder` (requests left out), to say why a process did not
    do its part."""
    tails = []
    for log in sorted(folder.rglob("*.log")):
        kept = [x for x in log.read_text(errors="replace").splitlines() if '"route":' not in x]
        tails.append(f"--- {log}\n" + "\n".join(kept[-lines:]))
    return "\n".join(tails)


def stop_with_ctrl_c(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(60)


@pytest.fixture
def tmp_path() -> Iterator[Path]:
    """Outside pytest's rotating temporary folders: the office's servers live here."""
    folder = Path(tempfile.mkdtemp(prefix="wushe-test-up-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def default_ports_taken() -> Iterator[None]:
    """The services' default ports held (those another program holds already stay so)."""
    with contextlib.ExitStack() as held:
        for service in SERVICES.values():
            sock = held.enter_context(socket.socket())
            with contextlib.suppress(OSError):
                sock.bind(("127.0.0.1", service.default_port))
                sock.listen()
        yield


def service_urls(text: str) -> dict[str, str]:
    return {name: re.search(rf"{name}\s+(http://\S+)", text).group(1) for name in SERVICES}


ROLES = {
    "社工": "social_worker",
    "协调员": "coordinator",
    "志愿者": "volunteer",
    "基金管理员": "fund_manager",
    "评审专家": "reviewer",
}


def demo_people(text: str) -> dict[str, str]:
    """The demo tokens of the banner, by role (the first of a role: 王社工 of the social
    workers, who made the visits)."""
    block = text[text.index("demo tokens") :].splitlines()
    found: dict[str, str] = {}
    for line in block:
        match = re.search(r"(wst_\S+)   \((\S+) ", line)
        if not match:
            break
        found.setdefault(ROLES[match.group(2)], match.group(1))
    return found


async def wish_actors(database_url: str) -> dict[str, set[tuple[str, str]]]:
    """Who asked for each kind of the needs service's wish events: (role, token name)."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            """SELECT DISTINCT e.event_type, t.role, t.name
               FROM needs.events e LEFT JOIN auth.tokens t ON t.token_id = e.actor
               WHERE e.aggregate = 'wish'"""
        )
    finally:
        await connection.close()
    acted: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        acted.setdefault(row["event_type"], set()).add((row["role"], row["name"]))
    return acted


def test_make_up_runs_an_office_with_demo_data_and_finds_it_again(tmp_path: Path):
    with default_ports_taken():
        run_twice(tmp_path)


def run_twice(tmp_path: Path) -> None:
    office = "u" + secrets.token_hex(4)
    data_dir = tmp_path / "office"
    first = start_up(data_dir, office, tmp_path / "first.txt")
    text = wait_running(first, tmp_path / "first.txt")
    urls = service_urls(text)
    try:
        assert "demo data loaded" in text
        assert f"kept in {data_dir / 'ports.json'}" in text
        reporting = re.search(r"reporting\s+(http://\S+)", text).group(1)
        token = re.search(r"admin token\s+(\S+)", text).group(1)
        assert re.search(r"NATS\s+nats://127\.0\.0\.1:\d+", text)
        wait_for_overview(reporting, office, DEMO_PUBLIC)
        ledger_url = re.search(r"public ledger of the demo fund: (http://\S+)", text).group(1)
        ledger = httpx.get(ledger_url, timeout=5).json()  # no token: it is public
        assert [e["kind"] for e in ledger["entries"]] == ["donation"] * 3 + ["disbursement"]
        assert ledger["balance_fen"] == 528_800 - 30_000
        assert httpx.get(f"{ledger_url}/verify", timeout=5).json()["valid"] is True
        certificate_url = re.search(r"certificate, checked: (http://\S+)", text).group(1)
        certificate = httpx.get(certificate_url, timeout=5).json()  # public too
        assert (certificate["valid"], certificate["total_hours"]) == (True, 2.0)
        lists = re.search(r"^  public\s+(http://.+?)   \(", text, re.MULTILINE).group(1)
        for url in lists.split(" · "):  # the three lists, no token
            listed = httpx.get(url, timeout=5).json()
            assert listed["totals"]["communities"] >= 1, url
        wait_for_overview(reporting, office, {"verified_hours": 2})
        needs = re.search(r"needs\s+(http://\S+)", text).group(1)
        workbench = re.search(r"workbench\s+(http://\S+)", text).group(1)
        assert workbench == f"{needs}/workbench"
        assert "社工工作台" in httpx.get(workbench, timeout=5).text
        # Named in Chinese whatever its code, with a contact to ask on its public pages.
        board = httpx.get(f"{needs}/public/wishes?format=html", timeout=5).text
        assert "示范区社会工作服务指导中心（演示） · " in board
        assert "请联系<strong class='contact'>阳明街道社工站 0574-12345678" in board
        volunteering = re.search(r"(http://\S+)   \(志愿服务工作台", text).group(1)
        assert volunteering == f"{urls['volunteers']}/workbench"
        page = httpx.get(volunteering, timeout=5)
        assert (page.status_code, "志愿服务工作台" in page.text) == (200, True)
        funding = re.search(r"(http://\S+)   \(基金工作台", text).group(1)
        assert funding == f"{urls['funds']}/workbench"
        page = httpx.get(funding, timeout=5)
        assert (page.status_code, "基金工作台" in page.text) == (200, True)
        reviewing = re.search(r"(http://\S+)   \(项目评审", text).group(1)
        assert reviewing == f"{urls['funds']}/review"
        page = httpx.get(reviewing, timeout=5)
        assert (page.status_code, "项目评审" in page.text) == (200, True)
        applying = re.search(r"(http://\S+)   \(项目申报与执行", text).group(1)
        assert applying == f"{urls['funds']}/grants"
        page = httpx.get(applying, timeout=5)
        assert (page.status_code, "项目申报与执行" in page.text) == (200, True)
        mine = re.search(r"volunteers'\s+(http://\S+)   \(我的志愿服务", text).group(1)
        assert mine == f"{urls['volunteers']}/my"
        wishes = re.search(r"(http://\S+)   \(认领微心愿", text).group(1)
        assert wishes == f"{needs}/my"
        for page in (mine, wishes):
            assert httpx.get(page, timeout=5).status_code == 200
        # The demo's people, each with a token to sign in to their pages.
        people = demo_people(text)
        assert sorted(people) == sorted(ROLES.values())
        for role, service in (
            ("social_worker", "needs"),
            ("volunteer", "volunteers"),
            ("coordinator", "volunteers"),
            ("fund_manager", "funds"),
            ("reviewer", "funds"),
        ):
            me = httpx.get(
                f"{urls[service]}/me",
                headers={"Authorization": f"Bearer {people[role]}"},
                timeout=5,
            ).json()
            assert (me["role"], me["person_id"] is not None) == (role, True)
        hours = httpx.get(
            f"{urls['volunteers']}/hours",
            headers={"Authorization": f"Bearer {people['coordinator']}"},
            timeout=5,
        )
        assert hours.status_code == 200
        # The wish the demo's volunteer fulfilled is confirmed by the demo's social worker,
        # whose confirmation verifies her hours: they are verified by 王社工, not by nobody.
        as_social_worker = {"Authorization": f"Bearer {people['social_worker']}"}
        social_worker = httpx.get(f"{needs}/me", headers=as_social_worker, timeout=5).json()
        confirmed = httpx.get(
            f"{needs}/wishes", headers=as_social_worker, params={"state": "confirmed"}, timeout=5
        ).json()["items"]
        assert [w["title"] for w in confirmed] == ["一台收音机"]
        verified = [h for h in hours.json()["items"] if h["state"] == "verified"]
        assert [h["verified_by"] for h in verified] == [social_worker["person_id"]]
        # Each did their part with their own token: 王社工 posted the wishes and confirmed the
        # one fulfilled, the volunteers claimed and fulfilled theirs (none by the admin token).
        database = re.search(r"PostgreSQL\s+(postgres\S+)", text).group(1)
        volunteers = {("volunteer", n) for n in ("张晓燕", "李建国", "徐婷婷")}
        assert asyncio.run(wish_actors(database)) == {
            "wushe.needs.wish.posted.v1": {("social_worker", "王社工")},
            "wushe.needs.wish.claimed.v1": volunteers,
            "wushe.needs.wish.fulfilled.v1": volunteers,
            "wushe.needs.wish.confirmed.v1": {("social_worker", "王社工")},
        }
        # A couple of wishes in each state a social worker meets: on the board, claimed, and
        # fulfilled, awaiting her confirmation.
        states = ["posted", "claimed", "fulfilled", "confirmed"]
        wishes = httpx.get(
            f"{needs}/wishes", headers=as_social_worker, params={"state": states}, timeout=5
        ).json()["items"]
        assert Counter(w["state"] for w in wishes) == {
            "posted": 2,
            "claimed": 2,
            "fulfilled": 2,
            "confirmed": 1,
        }
        # An application awaits its reviews, for the reviewer's page.
        as_reviewer = {"Authorization": f"Bearer {people['reviewer']}"}
        rounds = httpx.get(f"{urls['funds']}/rounds", headers=as_reviewer, timeout=5).json()
        waiting = [
            application
            for r in rounds["items"]
            for application in httpx.get(
                f"{urls['funds']}/rounds/{r['round_id']}/applications?state=eligible",
                headers=as_reviewer,
                timeout=5,
            ).json()["items"]
        ]
        assert [a["title"] for a in waiting] == ["江滨社区儿童四点半课堂"]
        # The demo leaves someone due a visit again, for the workbench's first list.
        due = httpx.get(
            f"{needs}/residents/due",
            headers={"Authorization": f"Bearer {token}"},
            params={"community_id": "jiangbin"},
            timeout=5,
        ).json()
        assert len(due["items"]) == 1
        # The visits are the demo's social worker's, the spot check another's: nobody
        # spot-checks their own visit.
        surveys = httpx.get(
            f"{needs}/surveys",
            headers={"Authorization": f"Bearer {people['social_worker']}"},
            params={"community_id": "shengshan"},
            timeout=5,
        ).json()["items"]
        assert sorted((s["method"], s["surveyor"]) for s in surveys) == [
            ("home_visit", "王社工"),
            ("spot_check", "李社工"),
        ]
        response = httpx.post(
            f"{needs}/communities",
            headers={"Authorization": f"Bearer {token}"},
            json={"name": "新增社区", "street": "阳明街道"},
        )
        assert response.status_code == 201
        wait_for_overview(reporting, office, {"communities": 5})
    finally:
        assert stop_with_ctrl_c(first) == 0
    assert "stopped; data kept" in (tmp_path / "first.txt").read_text()
    # The relay starts once the services made its tables: a first start logs no error.
    assert "relay_database_error" not in (data_dir / "logs" / "relay.log").read_text()

    second = start_up(data_dir, office, tmp_path / "second.txt")
    text = wait_running(second, tmp_path / "second.txt")
    try:
        assert "demo data already present" in text
        assert service_urls(text) == urls  # the dashboard's address has not moved
        assert re.search(r"admin token\s+(\S+)", text).group(1) == token
        assert demo_people(text) == people  # made with the demo, once
        reporting = re.search(r"reporting\s+(http://\S+)", text).group(1)
        assert overview(reporting, office)["communities"] == 5
    finally:
        assert stop_with_ctrl_c(second) == 0


def test_wushe_hub_reports_an_office_that_joins_it_as_a_leaf_node(tmp_path: Path):
    office = "u" + secrets.token_hex(4)
    hub = wushe(
        ["hub", "--offices", office, "--data-dir", str(tmp_path / "hub"), "--leafnode-port", "0"],
        tmp_path / "hub.txt",
    )
    try:
        text = wait_running(hub, tmp_path / "hub.txt")
        reporting = re.search(r"reporting\s+(http://\S+)", text).group(1)
        leaf = re.search(rf"--office {office} --hub (nats-leaf://\S+)", text).group(1)
        password = urlsplit(leaf).password
        assert password
        up = start_up(tmp_path / "office", office, tmp_path / "up.txt", "--hub", leaf)
        try:
            shown = wait_running(up, tmp_path / "up.txt")
            assert f"city hub    {leaf.replace(password, '***')}" in shown
            assert password not in shown
            # The hub came up first, so its source of the office's stream failed and NATS
            # retries it with a backoff (10 s, 20 s, … up to 2 min): allow for a few rounds.
            try:
                wait_for_overview(reporting, office, DEMO_PUBLIC, timeout=120)
            except AssertionError as error:
                lag = httpx.get(f"{reporting}/api/lag", timeout=5).text
                raise AssertionError(f"{error}\nlag: {lag}\n{log_tails(tmp_path)}") from None
            lag = httpx.get(f"{reporting}/api/lag", timeout=5).json()["offices"]
            [entry] = [e for e in lag if e["office"] == office]
            assert entry["link"]["error"] is None
            assert entry["stale"] is False
        finally:
            assert stop_with_ctrl_c(up) == 0
    finally:
        assert stop_with_ctrl_c(hub) == 0


def alive(pid: int) -> bool:
    """Running (a zombie's command line is empty: it has stopped)."""
    try:
        return bool(Path(f"/proc/{pid}/cmdline").read_bytes())
    except OSError:
        return False


def test_one_office_per_folder_and_what_a_crashed_run_left_is_stopped(tmp_path: Path):
    office = "u" + secrets.token_hex(4)
    data_dir = tmp_path / "office"
    first = start_up(data_dir, office, tmp_path / "first.txt")
    try:
        wait_running(first, tmp_path / "first.txt")
        started = json.loads((data_dir / "processes.json").read_text())["processes"]
        assert set(started) == {"nats", "postgres", *SERVICES, "relay"}
        refused = start_up(data_dir, office, tmp_path / "refused.txt")
        assert refused.wait(60) == 1
        assert f"pid {first.pid}" in (tmp_path / "refused.txt").read_text()
    finally:
        first.kill()  # a crash: nothing of what it started is stopped
        first.wait()
    left = [p["pid"] for p in started.values()]
    assert all(alive(pid) for pid in left)

    again = start_up(data_dir, office, tmp_path / "again.txt")
    text = wait_running(again, tmp_path / "again.txt")
    assert "stopped what an earlier run left running" in text
    assert not any(alive(pid) for pid in left)
    mine = [
        p["pid"]
        for p in json.loads((data_dir / "processes.json").read_text())["processes"].values()
    ]
    # Ctrl-C twice (impatient, or `uv run` passing it on): the stop still completes.
    again.send_signal(signal.SIGINT)
    deadline = time.monotonic() + 30
    while "stopping" not in (tmp_path / "again.txt").read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    again.send_signal(signal.SIGINT)
    assert again.wait(60) == 0
    assert not any(alive(pid) for pid in mine)
    assert not (data_dir / "processes.json").exists()
