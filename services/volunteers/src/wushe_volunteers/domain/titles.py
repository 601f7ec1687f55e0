"""An activity's title goes on the bus and on the public board: it must not name a volunteer
(the runs that could be a name: `wushe_service.names.possible_names`)."""

NAMES_A_VOLUNTEER = (
    "the title is shown publicly: it must not name a volunteer of the office; "
    "say what the activity is, not who serves in it"
)
