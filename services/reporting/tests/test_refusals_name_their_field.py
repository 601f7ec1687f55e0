"""The reporting API's 422s of its own (an office id, a reversed period, a filter a table cannot
take) carry the API's `errors` list beside their `detail`, each naming its query parameter."""

import pytest


@pytest.mark.parametrize(
    ("path", "field", "kind", "said"),
    [
        ("/api/figures?office=Yuyao", "query.office", "string_pattern_mismatch", "an office id"),
        ("/api/figures?from=2026-11&to=2026-10", "query.from", "period_reversed", "swap them"),
        ("/api/export/needs.csv?from=2026-11&to=2026-10", "query.from", "period_reversed", "swap"),
        ("/api/export/teams.csv?from=2026-01", "query.from", "not_filterable", "no moment"),
    ],
)
async def test_a_refusal_of_the_reporting_api_names_its_field(reporting, path, field, kind, said):
    response = await reporting.get(path)

    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert (error["field"], error["type"]) == (field, kind)
    assert said in error["message"]
    name = field.removeprefix("query.")
    assert response.json()["detail"] == f"{name}: {error['message']}"
