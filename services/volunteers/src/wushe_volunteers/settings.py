"""Configuration of the volunteers service."""

from wushe_service.settings import PersonalDataSettings


class VolunteersSettings(PersonalDataSettings):
    pass
