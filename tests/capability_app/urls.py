from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse("field reports")


app_name = "field_reports"
urlpatterns = [path("", index, name="index")]
