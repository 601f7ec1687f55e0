"""Names on the bus (DESIGN §4): subjects, streams and the office id they are built from."""

import re

OFFICE_PATTERN = r"^[a-z][a-z0-9-]{1,31}$"
TYPE_PATTERN = r"^wushe\.[a-z]+\.[a-z]+\.[a-z]+\.v[1-9][0-9]*$"
_OFFICE = re.compile(OFFICE_PATTERN)
_TYPE = re.compile(TYPE_PATTERN)


class InvalidName(ValueError):
    pass


def check_office(office: str) -> str:
    if not _OFFICE.match(office):
        raise InvalidName(f"office {office!r} must match {OFFICE_PATTERN}")
    return office


def stream_name(office: str) -> str:
    """The office's JetStream stream: `WUSHE_<OFFICE>`, upper case, `-` → `_`."""
    return "WUSHE_" + check_office(office).upper().replace("-", "_")


def office_subjects(office: str) -> str:
    return f"wushe.{check_office(office)}.>"


def service_subjects(office: str, service: str) -> str:
    return f"wushe.{office}.{service}.>"


def event_subject(office: str, event_type: str) -> str:
    """`wushe.needs.survey.recorded.v1` in office yuyao → `wushe.yuyao.needs.survey.recorded`."""
    if not _TYPE.match(event_type):
        raise InvalidName(f"event type {event_type!r} must match {TYPE_PATTERN}")
    _, service, aggregate, event, _version = event_type.split(".")
    return f"wushe.{check_office(office)}.{service}.{aggregate}.{event}"


def service_of(event_type: str) -> str:
    return event_type.split(".")[1]


def source(office: str, service: str) -> str:
    return f"/offices/{office}/{service}"


# Dead letters live outside `wushe.<office>.>` so that integrators who follow an office's events
# never receive them, and in their own stream so that they can be inspected and replayed.
def dead_letter_stream(office: str) -> str:
    return "WUSHE_DLQ_" + check_office(office).upper().replace("-", "_")


def dead_letter_subjects(office: str) -> str:
    return f"wushe-dlq.{check_office(office)}.>"


def dead_letter_subject(office: str, consumer: str) -> str:
    return f"wushe-dlq.{check_office(office)}.{consumer}"
