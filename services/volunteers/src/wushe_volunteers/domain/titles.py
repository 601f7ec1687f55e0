"""An activity's title goes on the bus and on the public board: it must not point at anyone
by surname or by a phone's last digits (checked here, as wishes' titles are), nor name a
volunteer (the runs that could be a name, `wushe_service.names.possible_names`, looked up by
the command)."""

from wushe_events.errors import InvalidReference
from wushe_service import names
from wushe_service.identity import as_digits

NAMES_A_VOLUNTEER = (
    "the title is shown publicly: it must not name a volunteer of the office; "
    "say what the activity is, not who serves in it"
)
POINTS_AT_SOMEONE = (
    "the title is shown publicly: it must not point at anyone by surname (张姓老人) nor give "
    "a phone's last digits (尾号2345); say what the activity is, not whom it is for"
)


def check(title: str) -> None:
    if names.calls_by_surname(title) or names.gives_phone_tail(as_digits(title)):
        raise InvalidReference("title", POINTS_AT_SOMEONE, code="title_points_at_someone")
