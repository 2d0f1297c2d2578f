"""URLs of an organisation's workspace host (``<slug>.<base domain>``)."""

from django.urls import include, path

from cpims import views
from cpims.api import workspace_api

urlpatterns = [
    path("", views.workspace_home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("cases/", include("case_apps.cases.urls")),
    path("ovc/", include("case_apps.ovc.urls")),
    path("statistics/", include("national_statistics.urls_workspace")),
    path("registry/", include("shared_registry.urls_workspace")),
    path("sharing/", include("sharing.urls_workspace")),
    path("", include("provisioning.urls_workspace")),
    path("", include("audit.urls_workspace")),
    path("api/v1/", workspace_api.urls),
]
