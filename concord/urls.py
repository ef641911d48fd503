from django.urls import include, path

from concord.accounts.admin import site as admin_site
from concord.api.urls import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    path("", include("concord.web.urls")),
]

# The site's own error pages (concord/templates/403.html, 404.html, 500.html): its layout, plain words,
# a way back. 404 and 500 are Django's views with those templates.
handler403 = "concord.web.views.errors.permission_denied"
