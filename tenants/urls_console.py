from django.urls import path

from tenants import views

app_name = "console"
urlpatterns = [
    path("", views.console_organisations, name="organisations"),
    path("organisations/<int:pk>/", views.console_organisation, name="organisation"),
    path("licences/", views.console_expiring, name="expiring"),
]
