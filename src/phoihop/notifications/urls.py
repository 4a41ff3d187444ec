from django.urls import path

from phoihop.notifications import views

app_name = "notifications"

urlpatterns = [
    path("cong-viec/thong-bao/", views.notification_list, name="list"),
    path("cong-viec/thong-bao/da-doc/", views.mark_read, name="mark_read"),
    path("cong-viec/thong-bao/tuy-chon/", views.preference, name="preference"),
    path("phan-hoi/<str:token>/", views.resolution, name="resolution"),
    path("zalo/webhook/", views.zalo_webhook, name="zalo_webhook"),
]
