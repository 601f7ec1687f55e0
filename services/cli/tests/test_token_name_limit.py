"""`wushe token create` caps an account's name as 账号管理 does (50 characters): one over is a
usage error naming --name, and no token is made."""

from .test_token_rules import refused, token_ids
from .test_token_rules import wushe as wushe  # the fixture, under its own name


async def test_a_name_over_50_characters_is_refused(database_url, wushe):
    said = refused(await wushe("create", "--role", "admin", "--name", "管" * 51), "--name")
    assert "at most 50 characters" in said
    assert await token_ids(database_url) == []


async def test_a_name_of_50_characters_is_taken(database_url, wushe):
    made = await wushe("create", "--role", "admin", "--name", "管" * 50)
    assert made.returncode == 0, made.stderr
    assert len(await token_ids(database_url)) == 1
