"""HTTP routes of the volunteers service (DESIGN §5), one module per resource."""

from wushe_service import communities
from wushe_service.audit import personal_data_reads
from wushe_volunteers.api import (
    accounts,
    activities,
    applications,
    certificates,
    hours,
    join,
    my_page,
    resources,
    signups,
    teams,
    volunteers,
    workbench,
)

routers = [
    volunteers.router,
    teams.router,
    activities.router,
    signups.router,
    hours.router,
    certificates.router,
    resources.router,
    communities.router,
    personal_data_reads,
    workbench.router,
    my_page.router,
    accounts.router,
    applications.router,
    join.router,
]
