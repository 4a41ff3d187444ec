from django.urls import path

from phoihop.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("van-de/", views.issue_list, name="issue_list"),
    path("van-de/moi/", views.issue_create, name="issue_create"),
    path("van-de/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("van-de/<int:pk>/nhom/<slug:action>/", views.issue_regroup, name="issue_regroup"),
    path("van-de/<int:pk>/<slug:action>/", views.issue_action, name="issue_action"),
    path("y-kien/<int:pk>/tep/", views.response_attachment, name="response_attachment"),
    path("gia-han/<int:pk>/<slug:decision>/", views.extension_decide, name="extension_decide"),
    path("giao/<int:pk>/<slug:action>/", views.assignment_action, name="assignment_action"),
]
