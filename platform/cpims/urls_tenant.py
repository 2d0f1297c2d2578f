"""URLs of an organisation's workspace host (``<slug>.<base domain>``): the core pages, then
what each installed app mounts (its capabilities.py; tenants/capabilities.py)."""

from django.urls import include, path

from cpims import views
from cpims.api import workspace_api
from tenants.capabilities import WORKSPACE, urlpatterns_for

urlpatterns = [
    path("", views.workspace_home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    *urlpatterns_for(WORKSPACE),
    path("api/v1/", workspace_api.urls),
]
