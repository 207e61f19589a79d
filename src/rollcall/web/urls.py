from django.contrib.auth import views as auth_views
from django.urls import path

from rollcall.web import views

urlpatterns = [
    # public
    path("", views.home, name="home"),
    path("p/<str:public_id>/", views.public_person, name="public-person"),
    path("p/<str:public_id>/information/", views.information, name="information-about"),
    path("looking-for-someone/", views.looking_for_someone, name="looking"),
    path("information/", views.information, name="information"),
    # staff
    path(
        "staff/login/",
        views.hardened(auth_views.LoginView.as_view(template_name="web/login.html")),
        name="login",
    ),
    path("staff/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/search/", views.staff_search, name="staff-search"),
    path("staff/datasets/", views.datasets, name="datasets"),
    path("staff/datasets/<int:pk>/", views.dataset_detail, name="dataset"),
    path("staff/datasets/<int:pk>/rejects.csv", views.dataset_rejects, name="dataset-rejects"),
    path("staff/records/", views.records, name="records"),
    path("staff/records/<int:pk>/", views.record_detail, name="record"),
    path("staff/persons/<str:public_id>/", views.person_detail, name="person"),
    path("staff/tracing/", views.tracing_requests, name="tracing-requests"),
    path("staff/audit/", views.audit_log, name="audit-log"),
    path("staff/upload/", views.upload, name="upload"),
    path("staff/upload/<int:pk>/", views.upload_preview, name="upload-preview"),
    path("staff/upload/<int:pk>/progress/", views.upload_progress, name="upload-progress"),
]
