from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, re_path

from concord.accounts.admin import site as admin_site
from concord.api.urls import api


def _api_without_trailing_slash(request, rest):
    """The API's paths have no trailing slash: one typed with it is sent to the path without (308 keeps
    the method and the body) rather than answered 404."""
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/api/v1/{rest}" + (f"?{query}" if query else ""), preserve_request=True)


urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/v1/(?P<rest>.+)/$", _api_without_trailing_slash),
    path("admin/", admin_site.urls),
    path("", include("concord.web.urls")),
]

# The site's own error pages (concord/templates/403.html, 404.html, 500.html): its layout, plain words,
# a way back. 404 and 500 are Django's views with those templates.
handler403 = "concord.web.views.errors.permission_denied"
