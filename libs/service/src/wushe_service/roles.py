"""The roles a bearer token holds (DESIGN §5), apart from `auth` so that naming them (as the
`wushe token create --role` option does) imports neither FastAPI nor the database."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    social_worker = "social_worker"
    coordinator = "coordinator"
    volunteer = "volunteer"
    fund_manager = "fund_manager"
    reviewer = "reviewer"
    auditor = "auditor"
    viewer = "viewer"
