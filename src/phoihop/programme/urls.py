"""Staff pages of the programme (mounted under /cong-viec/chuong-trinh/)."""

from django.urls import URLPattern, URLResolver, path

from phoihop.programme import (
    commendation_views,
    editing_views,
    exemplary_views,
    guidance_views,
    meeting_views,
    network_views,
    plan_views,
    project_views,
)

app_name = "programme"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", plan_views.overview, name="overview"),
    path("nhiem-vu/moi/", plan_views.task_create, name="task_create"),
    path("nhiem-vu/<int:pk>/", plan_views.task_detail, name="task_detail"),
    path("tien-do/nhap/", plan_views.progress_import, name="progress_import"),
    path("tien-do/mau.xlsx", plan_views.progress_template, name="progress_template"),
    path(
        "ke-hoach/<int:pk>/yeu-cau-bao-cao/", plan_views.progress_request, name="progress_request"
    ),
    path("giao-ban/", meeting_views.meeting_list, name="meeting_list"),
    path("giao-ban/<int:pk>/", meeting_views.meeting_detail, name="meeting_detail"),
    path(
        "giao-ban/<int:pk>/ket-luan/<int:decision>/",
        meeting_views.meeting_detail,
        name="decision_to_task",
    ),
    path("giao-ban/<int:pk>/bien-ban/", meeting_views.meeting_minutes, name="meeting_minutes"),
    path(
        "giao-ban/<int:pk>/tep/",
        meeting_views.meeting_attachment_add,
        name="meeting_attachment_add",
    ),
    path(
        "giao-ban/<int:pk>/tep/<int:attachment>/",
        meeting_views.meeting_attachment,
        name="meeting_attachment",
    ),
    path("dinh-huong/", guidance_views.guidance_list, name="guidance_list"),
    path("dinh-huong/moi/", guidance_views.guidance_create, name="guidance_create"),
    path("dinh-huong/<int:pk>/", guidance_views.guidance_detail, name="guidance_detail"),
    path(
        "dinh-huong/<int:pk>/tiep-nhan/",
        guidance_views.guidance_acknowledgements,
        name="guidance_acknowledgements",
    ),
    path("dinh-huong/<int:pk>/duong-dan/", network_views.guidance_links, name="guidance_links"),
    path(
        "dinh-huong/<int:pk>/<slug:action>/", guidance_views.guidance_action, name="guidance_action"
    ),
    path("mang-luoi/", network_views.network, name="network"),
    path("mang-luoi/hoi-nghi/<int:pk>/", network_views.briefing_detail, name="briefing_detail"),
    path("dinh-huong/nhan/<str:token>/", network_views.guidance_ack_link, name="guidance_ack_link"),
    path("du-an/", project_views.project_list, name="project_list"),
    path("du-an/moi/", project_views.project_create, name="project_create"),
    path("du-an/<int:pk>/", project_views.project_detail, name="project_detail"),
    path("du-an/<int:pk>/sua/", project_views.project_edit, name="project_edit"),
    path("du-an/<int:pk>/bo-gan/<int:link>/", project_views.project_unlink, name="project_unlink"),
    path(
        "du-an/<int:pk>/bao-cao-tham-muu.docx",
        project_views.project_brief,
        name="project_brief",
    ),
    path("dien-hinh/", exemplary_views.exemplary_list, name="exemplary_list"),
    path("dien-hinh/<int:pk>/", exemplary_views.exemplary_detail, name="exemplary_detail"),
    path("sua/<slug:kind>/<int:pk>/", editing_views.edit, name="edit"),
    path("huy/<slug:kind>/<int:pk>/", editing_views.cancel, name="cancel"),
    path("khen-thuong/", commendation_views.commendation_list, name="commendation_list"),
    path(
        "khen-thuong/<int:pk>/", commendation_views.commendation_detail, name="commendation_detail"
    ),
    path(
        "khen-thuong/<int:pk>/<slug:action>/",
        commendation_views.commendation_action,
        name="commendation_action",
    ),
]
