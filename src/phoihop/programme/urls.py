"""Staff pages of the programme (mounted under /cong-viec/chuong-trinh/)."""

from django.urls import URLPattern, URLResolver

app_name = "programme"

urlpatterns: list[URLPattern | URLResolver] = []
