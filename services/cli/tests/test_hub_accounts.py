"""`wushe hub-accounts`: the city hub NATS's leaf-node users, one per office; `wushe up
--hub` wants an office's credentials."""

import re
import stat

from typer.testing import CliRunner

from wushe_cli.main import app
from wushe_embedded.natsserver import leaf_users_in


def hub_accounts(tmp_path, offices: str) -> dict[str, str]:
    file = tmp_path / "hub-accounts.conf"
    result = CliRunner().invoke(app, ["hub-accounts", "--offices", offices, "--file", str(file)])
    assert result.exit_code == 0, result.output
    printed = dict(re.findall(r"(\S+): nats-leaf://\1:(\S+)@<hub host>:7422", result.output))
    assert printed == {o: p for o, p in leaf_users_in(file.read_text()).items() if o in printed}
    assert stat.S_IMODE(file.stat().st_mode) == 0o600  # the passwords are secret
    return printed


def test_each_office_gets_a_password_of_its_own_and_keeps_it(tmp_path):
    first = hub_accounts(tmp_path, "yuyao,weifang")
    assert set(first) == {"yuyao", "weifang"}
    assert first["yuyao"] != first["weifang"]
    again = hub_accounts(tmp_path, "weifang,yuyao,fengqiao")
    assert again["yuyao"] == first["yuyao"]
    assert again["weifang"] == first["weifang"]
    assert set(leaf_users_in((tmp_path / "hub-accounts.conf").read_text())) == {
        "yuyao",
        "weifang",
        "fengqiao",
    }


def test_a_bad_office_id_is_refused(tmp_path):
    result = CliRunner().invoke(
        app, ["hub-accounts", "--offices", "Yu Yao", "--file", str(tmp_path / "a.conf")]
    )
    assert result.exit_code == 2
    assert not (tmp_path / "a.conf").exists()


def test_an_office_joins_a_hub_only_with_its_credentials(tmp_path):
    result = CliRunner().invoke(
        app,
        ["up", "--data-dir", str(tmp_path), "--hub", "nats-leaf://127.0.0.1:7422"],
        env={"WUSHE_NATS_URL": "", "COLUMNS": "300"},
    )
    assert result.exit_code == 2
    assert "own credentials" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing started


def test_printed_for_docker_the_accounts_go_to_stdout_and_the_urls_apart(tmp_path):
    result = CliRunner().invoke(app, ["hub-accounts", "--offices", "yuyao", "--file", "-"])
    assert result.exit_code == 0, result.output
    [password] = leaf_users_in(result.stdout).values()
    assert "nats-leaf://" not in result.stdout  # only the configuration: > hub-accounts.conf
    assert f"nats-leaf://yuyao:{password}@<hub host>:7422" in result.stderr
