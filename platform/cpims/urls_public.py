"""URLs of the platform site (the bare base domain): the core pages, then what each installed
app mounts (its capabilities.py; tenants/capabilities.py)."""

from django.urls import include, path

from cpims import views
from cpims.api import platform_api
from tenants.capabilities import PLATFORM, urlpatterns_for

urlpatterns = [
    path("", views.platform_home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    *urlpatterns_for(PLATFORM),
    path("api/v1/", platform_api.urls),
]
