"""HTTP routes of the needs service (DESIGN §5), one module per resource."""

from wushe_needs.api import (
    communities,
    corrections,
    merges,
    my_page,
    resident_import,
    residents,
    surveys,
    wishes,
    workbench,
)
from wushe_service.audit import personal_data_reads

routers = [
    communities.router,
    residents.router,
    resident_import.router,
    corrections.router,
    merges.router,
    surveys.router,
    wishes.router,
    personal_data_reads,
    workbench.router,
    my_page.router,
]
