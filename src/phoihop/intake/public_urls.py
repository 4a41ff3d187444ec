"""Public pages of intake: the feedback form (mounted under /phan-anh/)."""

from django.urls import URLPattern, URLResolver, path

from phoihop.intake import hint_views, views

app_name = "intake_public"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.feedback, name="feedback"),
    path("goi-y/", hint_views.feedback_hints, name="feedback_hints"),
    path("da-gui/", views.feedback_done, name="feedback_done"),
    path("cong-tac-vien/", views.collaborator, name="collaborator"),
    path("cong-tac-vien/da-gui/", views.collaborator_done, name="collaborator_done"),
]
