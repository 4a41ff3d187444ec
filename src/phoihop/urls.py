"""URL map: staff workspace, admin, API."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from phoihop.api.api import api
from phoihop.core import views as core_views

admin.site.site_header = "phoihop — Quản trị hệ thống"
admin.site.site_title = "phoihop"
admin.site.index_title = "Cấu hình chương trình phối hợp"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="cases:inbox", permanent=False)),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", core_views.LogoutView.as_view(), name="logout"),
    path("cong-viec/", include("phoihop.cases.urls")),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
]
