"""Staff pages of intake (mounted under /cong-viec/tiep-nhan/)."""

from django.urls import URLPattern, URLResolver

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = []
