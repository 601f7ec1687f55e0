"""The README's configuration table names every `WUSHE_*` variable the deployment files read,
not only the services' settings: an operator filling in `.env` looks there."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# A variable the compose files or a NATS configuration substitute: `${WUSHE_X…}`, `$WUSHE_X`.
READ = re.compile(r"\$\{?(WUSHE_[A-Z][A-Z_]*[A-Z])")


def deployment_files() -> list[Path]:
    return [
        ROOT / "docker-compose.yml",
        ROOT / ".env.example",
        *sorted((ROOT / "deploy").rglob("*.yml")),
        *sorted((ROOT / "deploy").rglob("*.conf")),
    ]


def test_the_deployment_files_read_variables():
    read = {v for path in deployment_files() for v in READ.findall(path.read_text())}
    assert {"WUSHE_OFFICE", "WUSHE_HUB_LEAF_URL", "WUSHE_NATS_PASSWORD"} <= read


def test_every_variable_the_deployment_files_read_is_in_the_configuration_table():
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    read = {v for path in deployment_files() for v in READ.findall(path.read_text())}
    missing = sorted(v for v in read if f"`{v}`" not in table)
    assert not missing, f"undocumented variables: {missing}"
