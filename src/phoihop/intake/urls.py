"""Staff pages of intake (mounted under /cong-viec/tiep-nhan/)."""

from django.urls import URLPattern, URLResolver, path

from phoihop.intake import views

app_name = "intake"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.signal_list, name="signal_list"),
    path("<int:pk>/", views.signal_detail, name="signal_detail"),
    path("tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("nhap/", views.import_start, name="import_start"),
    path("nhap/mau/<slug:channel>.xlsx", views.import_template, name="import_template"),
    path("nhap/<int:pk>/", views.import_detail, name="import_detail"),
    path("nhap/<int:pk>/ghep-cot/", views.import_mapping, name="import_mapping"),
    path("nhap/<int:pk>/chi-dong-hop-le/", views.import_only_valid, name="import_only_valid"),
    path("nhap/<int:pk>/nhap-lai/", views.import_retry, name="import_retry"),
    path("nguon-tin/", views.feed_list, name="feed_list"),
    path("nguon-tin/<int:pk>/lay-tin/", views.feed_poll, name="feed_poll"),
    path("nguon-tin/<int:pk>/bat-tat/", views.feed_toggle, name="feed_toggle"),
]
