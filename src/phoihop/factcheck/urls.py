"""Staff pages of the false-claim registry (mounted under /cong-viec/phan-bac/)."""

from django.urls import URLPattern, URLResolver, path

from phoihop.factcheck import views

app_name = "factcheck"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.claim_list, name="claim_list"),
    path("moi/", views.claim_create, name="claim_create"),
    path("tin-hieu/<int:pk>/", views.signal_rebuttals, name="signal_rebuttals"),
    path(
        "tin-hieu/<int:pk>/tra-loi/<int:rebuttal>/",
        views.signal_rebuttals,
        name="answer_with_rebuttal",
    ),
    path("<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<int:pk>/<slug:action>/", views.claim_action, name="claim_action"),
]
