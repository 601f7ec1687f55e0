"""URLs with credentials: masked for people, taken apart for nats-py."""

import pytest

from wushe_events.secret_urls import inbox_prefix, masked, nats_servers


def test_a_password_is_masked_in_every_url_of_a_list():
    urls = "nats://wushe:s3cret@nats:4222,nats://wushe:s3cret@nats-2:4222"
    assert masked(urls) == "nats://wushe:***@nats:4222,nats://wushe:***@nats-2:4222"


def test_a_nats_token_is_masked_but_a_postgres_user_name_is_not():
    assert masked("nats://t0ken@nats:4222") == "nats://***@nats:4222"
    assert masked("postgresql://postgres@db:5432/wushe") == "postgresql://postgres@db:5432/wushe"
    assert masked("postgresql://postgres:pw@db/wushe") == "postgresql://postgres:***@db/wushe"


def test_a_url_without_credentials_is_left_as_it_is():
    assert masked("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"


def test_credentials_go_to_nats_py_decoded_and_the_servers_without_them():
    servers, credentials = nats_servers("nats://wushe:p%40ss@nats:4222, nats://nats-2:4222")
    assert servers == ["nats://nats:4222", "nats://nats-2:4222"]
    assert credentials == {"user": "wushe", "password": "p@ss"}


def test_a_user_name_alone_is_a_token():
    assert nats_servers("nats://t0ken@nats:4222")[1] == {"token": "t0ken"}


def test_the_services_and_a_server_without_users_keep_the_shared_inbox():
    assert inbox_prefix("wushe") == "_INBOX"
    assert inbox_prefix(None) == "_INBOX"


def test_any_other_user_gets_an_inbox_of_its_own():
    assert inbox_prefix("acme") == "_INBOX_acme"


@pytest.mark.parametrize("user", ["a.b", "a*", "acme>", "a b"])
def test_a_user_that_cannot_make_a_subject_token_has_no_inbox(user):
    with pytest.raises(ValueError, match="cannot name an inbox"):
        inbox_prefix(user)
