"""Every text a request takes fails past its cap as `string_too_long`, as a text does: a cap
set beside a validated text (`Annotated[Text, Field(max_length=…)]`, or `Field(max_length=…)`
on `Text | None`) fails as `too_long`, the type of a list with too many items, which clients
and pages word as too many chosen. The cap belongs inside the type (`LongText`, `Note`, …)."""

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Annotated

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

PACKAGES = ("wushe_service", "wushe_needs", "wushe_volunteers", "wushe_funds", "wushe_reporting")


def models() -> Iterator[type[BaseModel]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for found in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" in found.name:
                continue
            module = importlib.import_module(found.name)
            for value in vars(module).values():
                defined_here = getattr(value, "__module__", None) == module.__name__
                if isinstance(value, type) and issubclass(value, BaseModel) and defined_here:
                    yield value


def failing_as_a_list(model: type[BaseModel]) -> Iterator[str]:
    for field, info in model.model_fields.items():
        try:
            TypeAdapter(Annotated[info.annotation, info]).validate_python("长" * 100_000)
        except ValidationError as refused:
            if any(e["type"] == "too_long" for e in refused.errors()):
                yield f"{model.__module__}.{model.__qualname__}.{field}"


# A field's alias means nothing to a TypeAdapter of the field alone, and pydantic says so.
@pytest.mark.filterwarnings("ignore::pydantic.warnings.UnsupportedFieldAttributeWarning")
def test_no_text_fails_past_its_cap_as_a_list_does():
    checked = list(models())
    assert len(checked) > 50  # the commands of every service were found
    wrong = [field for model in checked for field in failing_as_a_list(model)]
    assert not wrong, f"fail as too_long, not string_too_long: {wrong}"
