"""Platform console pages: the platform's write and access logs (DCS headquarters), and
retention."""

from django.urls import path

from audit import views, views_retention

app_name = "platform_audit"
urlpatterns = [
    path("", views.platform_changes, name="changes"),
    path("access/", views.platform_access, name="access"),
    path("retention/", views_retention.retention_page, name="retention"),
]
