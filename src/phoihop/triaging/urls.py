"""Staff pages of triage (mounted under /cong-viec/tiep-nhan/ beside intake's)."""

from django.urls import URLPattern, URLResolver, path

from phoihop.triaging import views

app_name = "triaging"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cum/", views.cluster_list, name="cluster_list"),
    path("cum/<int:pk>/", views.cluster_detail, name="cluster_detail"),
    path("cum/<int:pk>/<slug:action>/", views.cluster_decide, name="cluster_decide"),
    path("<int:pk>/de-xuat/<slug:action>/", views.proposal_decide, name="proposal_decide"),
]
