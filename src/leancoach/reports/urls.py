from django.urls import path

from leancoach.reports import views

app_name = "reports"

urlpatterns = [
    path("programme/", views.programme, name="programme"),
]
