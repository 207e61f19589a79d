from django.urls import path

from rollcall.estimation import views

urlpatterns = [
    path("", views.estimates, name="estimates"),
    path("<int:pk>/", views.estimate_run, name="estimate-run"),
    path("<int:pk>/publish/", views.estimate_publish, name="estimate-publish"),
    path("<int:pk>/withdraw/", views.estimate_withdraw, name="estimate-withdraw"),
    path("<int:pk>.csv", views.estimate_export, {"fmt": "csv"}, name="estimate-csv"),
    path("<int:pk>.json", views.estimate_export, {"fmt": "json"}, name="estimate-json"),
]
