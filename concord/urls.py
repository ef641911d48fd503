from django.urls import include, path

from concord.accounts.admin import site as admin_site
from concord.api.urls import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin_site.urls),
    path("", include("concord.web.urls")),
]
