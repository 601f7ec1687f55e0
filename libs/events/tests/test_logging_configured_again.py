"""Logging configured again in one process (each service a test starts configures it): a
line names the service and office configured last, even from a logger used before."""

import logging
from collections.abc import Iterator

import orjson
import pytest
import structlog

from wushe_events import logging as wushe_logging


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """The process's logging as it was: this test's stream is gone after it."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    config = structlog.get_config()
    yield
    root.handlers[:], root.level = handlers, level
    structlog.configure(**config)


@pytest.mark.usefixtures("logging_restored")
def test_a_logger_used_before_logging_is_configured_again_names_the_new_service(capsys):
    wushe_logging.configure("first", "tfirst")
    log = structlog.get_logger("wushe.tests.configured_again")
    log.info("before")
    wushe_logging.configure("second", "tsecond")
    log.info("after")
    structlog.get_logger("wushe.tests.configured_again.new").info("new")

    lines = [orjson.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [(line["event"], line["service"], line["office"]) for line in lines] == [
        ("before", "first", "tfirst"),
        ("after", "second", "tsecond"),
        ("new", "second", "tsecond"),
    ]
