"""Checks of Chinese identity data: resident ID numbers (GB 11643-1999) and phone numbers
(mobile, and fixed lines 固定电话: many elderly people living alone have only those)."""

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
# A fixed line: the trunk 0 and the area code (010 and 02x, else three digits: 0574), then a
# local number of 7 or 8 digits, which never starts with 0 or 1 (the trunk, service numbers).
_LANDLINE = re.compile(r"^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-()（）]")


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


def valid_phone(value: str) -> str:
    """A mobile number, or a fixed line with its area code, in one form however it was typed
    (spaces, hyphens, brackets, +86): the digits of a mobile (13812345678), area code and
    number of a fixed line (0574-62345678). Stored and searched in that form, so that any
    spelling of a number finds it."""
    digits = _PHONE_PUNCTUATION.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
        if digits[:1] in set("23456789"):  # +86 574 …: the international form drops the 0
            digits = "0" + digits
    if _MOBILE.match(digits):
        return digits
    if landline := _LANDLINE.match(digits):
        return f"{landline[1]}-{landline[2]}"
    raise ValueError(
        "a phone number is a mobile number (11 digits, starting 13-19) or a fixed line with "
        "its area code (0574-62345678)"
    )


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
PhoneNumber = Annotated[str, AfterValidator(valid_phone)]
