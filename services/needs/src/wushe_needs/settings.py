"""Configuration of the needs service."""

from wushe_service.settings import PersonalDataSettings


class NeedsSettings(PersonalDataSettings):
    pass
