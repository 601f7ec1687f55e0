"""URLs with credentials: masked for people, taken apart for nats-py."""

from wushe_events.secret_urls import masked, nats_servers


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
