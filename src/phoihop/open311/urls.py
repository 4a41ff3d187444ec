"""GeoReport v2 under /open311/v2/: each resource with a `.xml` or `.json` suffix."""

from django.urls import URLPattern, URLResolver, re_path

from phoihop.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>xml|json)$"
KEY = r"(?P<{}>[A-Za-z0-9_.\-]{{1,64}})"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/" + KEY.format("code") + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/" + KEY.format("request_id") + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/" + KEY.format("token") + FMT, views.token, name="token"),
]
