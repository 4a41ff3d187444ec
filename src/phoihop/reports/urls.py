"""Staff pages of reports (mounted under /cong-viec/bao-cao/)."""

from django.urls import path

from phoihop.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("van-ban/", views.documents, name="documents"),
    path("van-ban/<int:pk>/", views.document, name="document"),
    path("van-ban/<int:pk>/tai.<str:fmt>", views.document_file, name="document_file"),
    path("xuat/<slug:what>.<str:fmt>", views.export, name="export"),
]
