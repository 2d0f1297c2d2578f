from django.urls import path

from case_apps.field import views

app_name = "field"
urlpatterns = [
    path("", views.app_page, name="app"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:form_id>/decide/", views.decide, name="decide"),
    path("devices/", views.devices, name="devices"),
    path("devices/<int:device_id>/revoke/", views.device_revoke, name="device_revoke"),
]
