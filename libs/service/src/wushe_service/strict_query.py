"""Query parameters a route does not take are a 422, not silently ignored.

`GET /wishes?community=lanjiang` (the funds and reporting services say `community`, needs says
`community_id`) would otherwise answer every community's wishes, and the caller would take the
list for a filtered one. The names a route takes are read from the OpenAPI document, the
public description of the same routes, once per app; routes left out of it (the dashboard's
page, which reads `?lang=` in the browser) are not checked, nor those whose `openapi_extra` is
`OTHERS_IGNORED`: a form a person opens from a printed QR code (`/join?from=poster`), where a
tracking tag the office adds to its links is no mistake of theirs, and a 422 in English a
dead end.

A route that always asks for a token (it depends on the `authenticating` dependency,
`auth.authenticate`) checks its query once the caller is known, from that dependency: without a
valid token a caller hears 401, not which parameters the route takes. Public routes, and those
that read a token only sometimes, are checked before anything else, as ever.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from starlette.routing import BaseRoute

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


_AUTHENTICATES = "__wushe_authenticates__"
Call = TypeVar("Call", bound=Callable[..., Any])


def authenticating(call: Call) -> Call:
    """Marks the dependency that names the caller (401 without a valid token): a route that
    depends on it has its query checked by it, once the caller is known (`refuse_unknown`)."""
    setattr(call, _AUTHENTICATES, True)
    return call


def _asks_for_a_token(dependant: Dependant) -> bool:
    # Every dependency of a route is solved on every request: one that authenticates always runs.
    return any(
        getattr(d.call, _AUTHENTICATES, False) or _asks_for_a_token(d)
        for d in dependant.dependencies
    )


def asks_for_a_token(route: BaseRoute) -> bool:
    dependant = getattr(route, "dependant", None)
    return dependant is not None and _asks_for_a_token(dependant)


async def only_known_query_parameters(request: Request) -> None:
    route = request.scope.get("route")
    if route is not None and not asks_for_a_token(route):
        refuse_unknown(request)


def refuse_unknown(request: Request) -> None:
    """422 naming the query parameters the request's route does not take, if any."""
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
