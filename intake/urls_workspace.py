"""A DCS office's intake queue (``/intake/``)."""

from django.urls import path

from intake import views

app_name = "intake"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.report_new, name="report_new"),
    path("<str:reference>/", views.report, name="report"),
]
