"""DCS headquarters' intake console (``/console/intake/``)."""

from django.urls import path

from intake import views_console

app_name = "intake_console"
urlpatterns = [
    path("", views_console.unrouted, name="unrouted"),
    path("clients/", views_console.clients, name="clients"),
    path("clients/<int:client_id>/", views_console.client, name="client"),
]
