from django.urls import path

from national_statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.national_dashboard, name="national"),
]
