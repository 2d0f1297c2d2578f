"""Verification and life after onboarding in the DCS console (``/console/applications/``)."""

from django.urls import path

from provisioning import views

app_name = "onboarding_console"
urlpatterns = [
    path("", views.console_applications, name="applications"),
    path("<int:pk>/", views.console_application, name="application"),
    path("<int:pk>/documents/<int:document_pk>/", views.console_document, name="document"),
    path("<int:pk>/approve/", views.console_approve, name="approve"),
    path("<int:pk>/reject/", views.console_reject, name="reject"),
    path("<int:pk>/retry/", views.console_retry, name="retry"),
    path("<int:pk>/exports/<str:name>", views.console_export, name="export"),
    path("<int:pk>/<str:action>/", views.console_lifecycle, name="lifecycle"),
]
