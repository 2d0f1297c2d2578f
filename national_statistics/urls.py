from django.urls import path

from national_statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.national_dashboard, name="national"),
    path("reports/<slug:report_key>/", views.report_screen, name="report"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<int:job_id>/", views.export_status, name="export"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("dhis2-mapping/", views.dhis2_mapping, name="dhis2_mapping"),
]
