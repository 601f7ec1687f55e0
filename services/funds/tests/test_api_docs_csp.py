"""The API's docs (/docs, vendored Swagger UI) under their strict Content-Security-Policy, in
a real headless Chromium: started by a script file of their own, they list the service's
operations and violate no policy."""

from __future__ import annotations

from wushe_service.browser_testing import csp_violations, errors_of


async def test_the_api_docs_list_the_operations_and_raise_no_csp_violation(tab, served, funds):
    policy = (await funds.get("/docs")).headers["content-security-policy"]
    assert "'unsafe-" not in policy
    async with tab() as page:
        violations = await csp_violations(page.context)
        errors = errors_of(page)
        await page.goto(f"{served}/docs")
        operation = page.locator(".opblock-summary-path", has_text="/funds/{fund_id}/donations")
        await operation.first.wait_for()
        assert violations == []
        assert errors == []
