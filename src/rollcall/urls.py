from django.contrib import admin
from django.urls import include, path

from rollcall.api.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("situation/", include("rollcall.situation.urls")),
    path("linkage/", include("rollcall.linkage.urls")),
    path("staff/estimates/", include("rollcall.estimation.urls")),
    path("", include("rollcall.web.urls")),
]
