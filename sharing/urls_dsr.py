"""DCS headquarters console: data subject requests (``/console/data-requests/``)."""

from django.urls import path

from sharing import views_dsr

app_name = "data_requests"
urlpatterns = [
    path("", views_dsr.data_requests, name="export"),
]
