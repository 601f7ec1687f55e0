"""HTTP routes of the funds service (DESIGN §5), one module per resource."""

from wushe_funds.api import (
    acknowledgements,
    applicant_page,
    funds,
    grants,
    public,
    review_page,
    teams,
    workbench,
)
from wushe_service import communities

routers = [
    funds.router,
    acknowledgements.router,
    grants.router,
    teams.router,
    public.router,
    communities.router,
    workbench.router,
    review_page.router,
    applicant_page.router,
]
