"""The public portal (mounted at the site root) and its staff article management."""

from django.urls import URLPattern, URLResolver, path

from phoihop.portal import feeds, issue_views, views

app_name = "portal"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:category>/", views.category, name="category"),
    path("chuyen-muc/<slug:category>/rss/", feeds.CategoryFeed(), name="feed_rss"),
    path("chuyen-muc/<slug:category>/atom/", feeds.CategoryAtomFeed(), name="feed_atom"),
    path("bai-viet/<slug:slug>/", views.article, name="article"),
    path("bai-viet/<slug:key>/pdf/", views.document_pdf, {"kind": "article"}, name="article_pdf"),
    path(
        "bai-viet/<slug:key>/doc.wav",
        views.document_audio,
        {"kind": "article"},
        name="article_audio",
    ),
    path("bai-viet/<slug:slug>/anh/<str:name>", views.article_image, name="article_image"),
    path("tra-loi/<int:pk>/", views.answer, name="answer"),
    path("tra-loi/<int:key>/pdf/", views.document_pdf, {"kind": "answer"}, name="answer_pdf"),
    path(
        "tra-loi/<int:key>/doc.wav", views.document_audio, {"kind": "answer"}, name="answer_audio"
    ),
    path("tep-dinh-kem/<int:pk>/", views.attachment, name="attachment"),
    path("van-de/", issue_views.public_issue_list, name="public_issues"),
    path("van-de/<str:code>/", issue_views.public_issue, name="public_issue"),
    path("tim-kiem/", views.search, name="search"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("quan-ly/bai-viet/", views.manage_list, name="manage_list"),
    path("quan-ly/bai-viet/them/", views.manage_edit, name="manage_create"),
    path("quan-ly/bai-viet/<int:pk>/", views.manage_detail, name="manage_detail"),
    path("quan-ly/bai-viet/<int:pk>/sua/", views.manage_edit, name="manage_edit"),
]
