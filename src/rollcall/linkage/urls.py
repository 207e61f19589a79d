from django.urls import path

from rollcall.linkage import views

urlpatterns = [
    path("review/", views.review_queue, name="linkage-queue"),
    path("review/<int:pair_id>/", views.review_pair, name="linkage-pair"),
    path("decisions/", views.decisions, name="linkage-decisions"),
    path("decisions/<int:decision_id>/undo/", views.undo, name="linkage-undo"),
    path("persons/<int:person_id>/", views.person, name="linkage-person"),
    path("persons/<int:person_id>/merge/", views.merge, name="linkage-merge"),
    path("persons/<int:person_id>/split/", views.split, name="linkage-split"),
    path("model/", views.model_page, name="linkage-model"),
    path("notifications/", views.notifications, name="linkage-notifications"),
]
