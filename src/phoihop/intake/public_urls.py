"""Public pages of intake: the feedback form (mounted under /phan-anh/)."""

from django.urls import URLPattern, URLResolver

app_name = "intake_public"

urlpatterns: list[URLPattern | URLResolver] = []
