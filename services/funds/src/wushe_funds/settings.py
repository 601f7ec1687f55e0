"""Configuration of the funds service."""

from wushe_service.settings import ServiceSettings


class FundsSettings(ServiceSettings):
    pass
