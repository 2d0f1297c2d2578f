"""Platform console pages: the platform's write and access logs (DCS headquarters)."""

from django.urls import path

from audit import views

app_name = "platform_audit"
urlpatterns = [
    path("", views.platform_changes, name="changes"),
    path("access/", views.platform_access, name="access"),
]
