from django.urls import path

from national_statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.organisation_dashboard, name="organisation"),
]
