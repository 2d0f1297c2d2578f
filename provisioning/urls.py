"""Organisation sign-up and the applicant's status page (platform site, ``/join/``)."""

from django.urls import path

from provisioning import views

app_name = "onboarding"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("check-slug/", views.check_slug, name="check_slug"),
    path("mine/", views.my_applications, name="mine"),
    path("<int:pk>/", views.application_status, name="status"),
    path("<int:pk>/progress/", views.application_progress, name="progress"),
    path("<int:pk>/retry/", views.application_retry, name="retry"),
]
