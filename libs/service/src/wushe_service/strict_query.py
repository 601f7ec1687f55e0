"""Query parameters a route does not take are a 422, not silently ignored.

`GET /wishes?community=lanjiang` (the funds and reporting services say `community`, needs says
`community_id`) would otherwise answer every community's wishes, and the caller would take the
list for a filtered one. The names a route takes are read from the OpenAPI document, the
public description of the same routes, once per app; routes left out of it (the dashboard's
page, which reads `?lang=` in the browser) are not checked, nor those whose `openapi_extra` is
`OTHERS_IGNORED`: a form a person opens from a printed QR code (`/join?from=poster`), where a
tracking tag the office adds to its links is no mistake of theirs, and a 422 in English a
dead end.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

_IGNORES_OTHERS = "x-wushe-other-query-parameters-ignored"
# A route's `openapi_extra`: query parameters it does not take are ignored, not a 422.
OTHERS_IGNORED = {_IGNORES_OTHERS: True}


def taken(app: FastAPI) -> dict[tuple[str, str], frozenset[str]]:
    """The query parameters each route (path, method) takes, from the OpenAPI document."""
    known: dict[tuple[str, str], frozenset[str]] | None = getattr(app.state, "query_taken", None)
    if known is None:
        known = {
            (path, method.upper()): frozenset(
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            )
            for path, operations in app.openapi()["paths"].items()
            for method, operation in operations.items()
        }
        app.state.query_taken = known
    return known


async def only_known_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if not request.query_params or route is None:
        return
    if (getattr(route, "openapi_extra", None) or {}).get(_IGNORES_OTHERS) is True:
        return
    known = taken(request.app).get((getattr(route, "path_format", ""), request.method))
    if known is None:
        return
    takes = f"it takes {', '.join(sorted(known))}" if known else "it takes none"
    unknown = sorted(set(request.query_params) - known)
    if unknown:  # names only: a value may be personal data
        raise RequestValidationError(
            [
                {
                    "loc": ("query", name),
                    "msg": f"not a parameter here ({takes})",
                    "type": "extra_forbidden",
                }
                for name in unknown
            ]
        )
