from django.urls import include, path

from concord.api.urls import api

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("", include("concord.web.urls")),
]
