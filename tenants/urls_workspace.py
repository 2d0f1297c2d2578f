from django.urls import path

from tenants import views

app_name = "organisation"
urlpatterns = [
    path("", views.organisation_own, name="detail"),
]
