"""The README documents every configuration variable the code reads."""

from pathlib import Path

from wushe_cli.relay import RelaySettings
from wushe_cli.services import SERVICES
from wushe_service.settings import PersonalDataSettings

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def variables() -> set[str]:
    classes = [s.settings for s in SERVICES.values()] + [RelaySettings, PersonalDataSettings]
    return {f"WUSHE_{field.upper()}" for cls in classes for field in cls.model_fields}


def test_every_setting_is_documented_in_the_configuration_table():
    table = README.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    missing = sorted(v for v in variables() if f"`{v}`" not in table)
    assert not missing, f"undocumented settings: {missing}"


def test_the_two_commands_are_shown():
    assert "make up" in README
    assert "make test" in README
