"""Checks of Chinese identity data: resident ID numbers (GB 11643-1999) and mobile numbers."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator

from wushe_events.catalogue.base import Name, Slug, Text

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first_17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first_17, _WEIGHTS, strict=True)) % 11]


def birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def valid_id_number(value: str) -> str:
    value = value.strip().upper()
    if not _ID.match(value):
        raise ValueError("an ID number has 17 digits and a check character (0-9 or X)")
    if check_digit(value[:17]) != value[17]:
        raise ValueError("the ID number's check character does not match")
    try:
        birth_date(value)
    except ValueError:
        raise ValueError("the ID number's birth date is not a date") from None
    return value


def valid_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value).removeprefix("+86")
    if not _MOBILE.match(value):
        raise ValueError("a mobile number has 11 digits and starts with 13-19")
    return value


_MOBILE_ANYWHERE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_ANYWHERE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_LANDLINE_ANYWHERE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


# Numbers as people write them out: 一三八…, 壹叁捌…, 幺 for 1 when read aloud, 两 for 2.
_NUMERALS = str.maketrans(
    "〇零○一壹幺二贰两三叁四肆五伍六陆七柒八捌九玖", "00011122233445566778899"
)


def as_digits(value: str) -> str:
    """`value` with full-width digits and Chinese numerals written as ASCII digits."""
    return unicodedata.normalize("NFKC", value).translate(_NUMERALS)


def public_text(value: str) -> str:
    """Text shown to the public (a wish's title, a grant's summary): no phone or ID numbers in
    it, however spaced, hyphenated or written out (一三八…)."""
    digits = as_digits(value)
    packed = re.sub(r"[\s\-.·・_/、,，()（）]", "", digits)
    if (
        _MOBILE_ANYWHERE.search(packed)
        or _ID_ANYWHERE.search(packed)
        or _LANDLINE_ANYWHERE.search(re.sub(r"[\s·・_/、,，()（）]", "", digits))
    ):
        raise ValueError("it is shown publicly: no phone numbers or ID numbers")
    return value


IdNumber = Annotated[str, AfterValidator(valid_id_number)]
PublicText = Annotated[Text, AfterValidator(public_text)]
# A name that goes on the bus and onto public pages (a team, an activity, a ledger's purpose).
PublicName = Annotated[Name, AfterValidator(public_text)]
# A slug that is published (a refund's reason, a donation's channel, an expense's category):
# "call-138-1234-5678" is a slug too.
PublicSlug = Annotated[Slug, AfterValidator(public_text)]
MobileNumber = Annotated[str, AfterValidator(valid_mobile)]
