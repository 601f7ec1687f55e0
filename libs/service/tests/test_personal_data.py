"""Sealing under the office key, and moving data keys from an old office key to a new one."""

import base64
from uuid import uuid4

import pytest

from wushe_service.personal_data import UnknownOfficeKey, Vault, new_office_key
from wushe_service.settings import PersonalDataSettings

FIELDS = {"name": "王秀英", "phone": "13812345678"}


def key() -> bytes:
    return base64.b64decode(new_office_key())


class TestVault:
    def test_what_is_sealed_opens_for_that_person_only(self):
        vault, person = Vault(key()), uuid4()
        sealed = vault.seal(person, FIELDS)
        assert vault.open(person, sealed) == FIELDS
        assert FIELDS["name"].encode() not in sealed.ciphertext
        with pytest.raises(UnknownOfficeKey):
            vault.open(uuid4(), sealed)

    def test_sealed_again_it_keeps_the_data_key_with_a_new_nonce(self):
        vault, person = Vault(key()), uuid4()
        sealed = vault.seal(person, FIELDS)
        corrected = {**FIELDS, "phone": "0574-62345678"}
        again = vault.sealed_again(person, sealed, corrected)
        assert again.wrapped_key == sealed.wrapped_key
        assert again.nonce != sealed.nonce
        assert vault.open(person, again) == corrected
        with pytest.raises(UnknownOfficeKey):
            Vault(key()).sealed_again(person, sealed, corrected)  # another office's key

    def test_an_old_key_reads_until_the_data_key_is_rewrapped(self):
        old, new, person = key(), key(), uuid4()
        sealed = Vault(old).seal(person, FIELDS)
        with pytest.raises(UnknownOfficeKey, match=str(person)):
            Vault(new).open(person, sealed)
        rotating = Vault(new, [old])
        assert rotating.open(person, sealed) == FIELDS
        rewrapped = rotating.rewrapped(person, sealed.wrapped_key)
        assert rewrapped is not None
        moved = type(sealed)(rewrapped, sealed.nonce, sealed.ciphertext)
        assert Vault(new).open(person, moved) == FIELDS
        assert rotating.rewrapped(person, rewrapped) is None  # already under the new key
        with pytest.raises(UnknownOfficeKey):
            Vault(old).open(person, moved)


class TestSettings:
    def test_previous_keys_are_read_from_a_comma_separated_list(self):
        old, older, new = new_office_key(), new_office_key(), new_office_key()
        settings = PersonalDataSettings(
            office="yuyao", office_key=new, office_key_previous=f"{old}, {older}"
        )
        person = uuid4()
        sealed = Vault(base64.b64decode(older)).seal(person, FIELDS)
        assert settings.vault().open(person, sealed) == FIELDS

    def test_a_malformed_key_names_the_variable_and_not_the_key(self):
        with pytest.raises(ValueError, match="office_key_previous") as error:
            PersonalDataSettings(
                office="yuyao", office_key=new_office_key(), office_key_previous="c2hvcnQ="
            )
        assert "c2hvcnQ=" not in str(error.value)
