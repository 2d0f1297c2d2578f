from django.urls import path

from case_apps.family_care import views

app_name = "family_care"
urlpatterns = [
    path("", views.care_list, name="list"),
]
