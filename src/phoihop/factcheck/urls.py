"""Staff pages of the false-claim registry (mounted under /cong-viec/phan-bac/)."""

from django.urls import URLPattern, URLResolver

app_name = "factcheck"

urlpatterns: list[URLPattern | URLResolver] = []
