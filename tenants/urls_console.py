from django.urls import path

from tenants import views

app_name = "console"
urlpatterns = [
    path("", views.console_organisations, name="organisations"),
]
