from django.urls import path, re_path

from rollcall.situation import views

urlpatterns = [
    path("", views.report, name="situation-report"),
    path("report.md", views.report_download, name="situation-report-download"),
    path("widget/", views.widget, name="situation-widget"),
    path("claims/", views.claims, name="situation-claims"),
    path("claims/new/", views.claim_new, name="situation-claim-new"),
    path("claims/import/", views.claims_import, name="situation-claims-import"),
    path("events/", views.events, name="situation-events"),
    path("events/new/", views.event_new, name="situation-event-new"),
    path("events/import/", views.acled_import, name="situation-acled-import"),
    path("events/acled.csv", views.acled, name="situation-acled"),
    path("places/", views.places, name="situation-places"),
    path("sites/", views.sites, name="situation-sites"),
    re_path(r"^hxl/(?P<kind>claims|events|sites)\.csv$", views.hxl, name="situation-hxl"),
]
