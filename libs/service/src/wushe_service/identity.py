"""Checks of Chinese identity data: resident ID numbers (GB 11643-1999) and phone numbers
(mobile, and fixed lines 固定电话: many elderly people living alone have only those).

A wrong one is refused with an error whose `type` names what is wrong (`id_number_check`,
`phone_form`, …): the pages word it in Chinese (static/common/forms.js `WORDS`)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from wushe_events.catalogue.base import LongText, Name, Slug, Text, Title

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID = re.compile(r"^\d{17}[\dX]$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A fixed line: the trunk 0 and the area code (010 and 02x, else three digits: 0574), then a
# local number of 7 or 8 digits, which never starts with 0 or 1 (the trunk, service numbers).
_LANDLINE = re.compile(r"^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-()（）]")


# Province-level codes (GB/T 2260), the first two digits of a resident ID number; 71 is
# Taiwan's, 81-83 open the residence permits of residents of Hong Kong, Macao and Taiwan
# (港澳台居民居住证, 810000/820000/830000).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split()
)
# The foreigner's permanent residence ID card of 2023 (外国人永久居留身份证) has the same form
# and check: 9, then the code of the province that issued it (911…, 933…).
_MAINLAND = frozenset(code for code in PROVINCES if code < "70")
_ID_SPACING = re.compile(r"[\s\-]")


def check_digit(first_17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first_17, _WEIGHTS, strict=True)) % 11]


def birth_date(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def valid_id_number(value: str) -> str:
    """An ID number in one form however it was typed: full-width digits of a Chinese input
    method (３３０２…) folded, spaces and hyphens (330281 19601111 0022) dropped, x as X."""
    value = _ID_SPACING.sub("", unicodedata.normalize("NFKC", value)).upper()
    if not _ID.match(value):
        raise PydanticCustomError(
            "id_number_form", "an ID number has 17 digits and a check character (0-9 or X)"
        )
    if value[:2] not in PROVINCES and not (value[0] == "9" and value[1:3] in _MAINLAND):
        raise PydanticCustomError(
            "id_number_province",
            "the ID number's first two digits are not a province-level code (11-65, 71, 81-83)",
        )
    if check_digit(value[:17]) != value[17]:
        raise PydanticCustomError(
            "id_number_check", "the ID number's check character does not match"
        )
    try:
        birth_date(value)
    except ValueError:
        raise PydanticCustomError(
            "id_number_date", "the ID number's birth date is not a date"
        ) from None
    return value


def valid_phone(value: str) -> str:
    """A mobile number, or a fixed line with its area code, in one form however it was typed
    (spaces, hyphens, brackets, +86, full-width digits): the digits of a mobile (13812345678),
    area code and number of a fixed line (0574-62345678). Stored and searched in that form, so
    that any spelling of a number finds it."""
    digits = _PHONE_PUNCTUATION.sub("", unicodedata.normalize("NFKC", value))
    if digits.startswith("+86"):
        digits = digits[3:]
        if digits[:1] in set("23456789"):  # +86 574 …: the international form drops the 0
            digits = "0" + digits
    if _MOBILE.match(digits):
        return digits
    if landline := _LANDLINE.match(digits):
        return f"{landline[1]}-{landline[2]}"
    raise PydanticCustomError(
        "phone_form",
        "a phone number is a mobile number (11 digits, starting 13-19) or a fixed line with "
        "its area code (0574-62345678)",
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
        raise PydanticCustomError(
            "public_text_numbers", "it is shown publicly: no phone numbers or ID numbers"
        )
    return value


IdNumber = Annotated[str, AfterValidator(valid_id_number)]
PublicText = Annotated[Text, AfterValidator(public_text)]
# Public free text with its cap (a grant's summary): at most 2000 characters.
PublicLongText = Annotated[LongText, AfterValidator(public_text)]
# A name that goes on the bus and onto public pages (a team, an activity, a ledger's purpose).
PublicName = Annotated[Name, AfterValidator(public_text)]
# A public title (a wish's, an activity's): at most 100 characters.
PublicTitle = Annotated[Title, AfterValidator(public_text)]
# A slug that is published (a refund's reason, a donation's channel, an expense's category):
# "call-138-1234-5678" is a slug too.
PublicSlug = Annotated[Slug, AfterValidator(public_text)]
PhoneNumber = Annotated[str, AfterValidator(valid_phone)]
