"""HTTP routes of the funds service (DESIGN §5), one module per resource."""

from wushe_funds.api import communities, funds, grants, public

routers = [funds.router, grants.router, public.router, communities.router]
