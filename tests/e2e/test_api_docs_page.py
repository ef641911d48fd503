"""The API docs page (Swagger UI, from our own static files) is readable: axe-core finds no serious or
critical violation once it has drawn the operations."""

from playwright.sync_api import expect

from concord.testing.factories import make_actor


def test_the_api_docs_page_has_no_serious_accessibility_violations(signed_in_page, live_server, advocacy,
                                                                    assert_no_serious_axe_violations):
    page = signed_in_page(make_actor(advocacy).user)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    assert_no_serious_axe_violations(page)
    # An operation opened, with its parameters and responses.
    page.locator(".opblock-summary-control").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert_no_serious_axe_violations(page)
