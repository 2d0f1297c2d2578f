"""DCS headquarters console pages of the integrations (``/console/integrations/``)."""

from django.urls import path

from integrations import views, views_reference

app_name = "integrations_console"
urlpatterns = [
    path("dhis2/", views.dhis2, name="dhis2"),
    path("dhis2/connection/", views.dhis2_connection, name="dhis2_connection"),
    path("dhis2/check/", views.dhis2_check, name="dhis2_check"),
    path("dhis2/push/", views.dhis2_push, name="dhis2_push"),
    path("dhis2/pushes/<int:push_id>/", views.dhis2_push_detail, name="dhis2_push_detail"),
    path("reference/", views_reference.reference, name="reference"),
    path("reference/<str:kind>/save/", views_reference.reference_save, name="reference_save"),
    path("reference/<str:kind>/sync/", views_reference.reference_sync, name="reference_sync"),
    path("reference/runs/<int:run_id>/", views_reference.reference_run, name="reference_run"),
]
