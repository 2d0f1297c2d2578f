from django.urls import path

from national_statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.organisation_dashboard, name="organisation"),
    path("reports/<slug:report_key>/", views.report_screen, name="report"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<int:job_id>/", views.export_status, name="export"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
]
