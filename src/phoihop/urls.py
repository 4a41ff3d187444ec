"""URL map: public portal at the root, staff workspace, admin, API."""

from django.contrib import admin
from django.urls import include, path

from phoihop.api.api import api
from phoihop.core import views as core_views

urlpatterns = [
    path("favicon.ico", core_views.favicon),
    path("dang-nhap/", core_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", core_views.LogoutView.as_view(), name="logout"),
    path("cong-viec/tiep-nhan/", include("phoihop.triaging.urls")),
    path("cong-viec/tiep-nhan/", include("phoihop.intake.urls")),
    path("cong-viec/chuong-trinh/", include("phoihop.programme.urls")),
    path("cong-viec/phan-bac/", include("phoihop.factcheck.urls")),
    path("cong-viec/bao-cao/", include("phoihop.reports.urls")),
    path("", include("phoihop.notifications.urls")),
    path("cong-viec/", include("phoihop.cases.urls")),
    path("phan-anh/", include("phoihop.intake.public_urls")),
    path("xac-thuc/", core_views.two_factor, name="two_factor"),
    path("quan-tri/login/", core_views.admin_login),
    path("quan-tri/", admin.site.urls),
    path("api/", api.urls),
    path("open311/v2/", include("phoihop.open311.urls")),
    path("", include("phoihop.portal.urls")),
]

handler400 = "phoihop.core.views.bad_request"
handler403 = "phoihop.core.views.permission_denied"
handler404 = "phoihop.portal.views.not_found"
handler500 = "phoihop.core.views.server_error"
