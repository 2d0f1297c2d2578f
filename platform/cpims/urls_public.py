"""URLs of the platform site (the bare base domain)."""

from django.urls import include, path

from cpims import views
from cpims.api import platform_api

urlpatterns = [
    path("", views.platform_home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("console/lists/", include("case_apps.lists.urls")),
    path("console/applications/", include("provisioning.urls_console")),
    path("console/audit/", include("audit.urls_console")),
    path("console/sharing/", include("sharing.urls_console")),
    path("console/data-requests/", include("sharing.urls_dsr")),
    path("console/", include("tenants.urls_console")),
    path("join/", include("provisioning.urls")),
    path("statistics/", include("national_statistics.urls")),
    path("registry/", include("shared_registry.urls")),
    path("api/v1/", platform_api.urls),
]
