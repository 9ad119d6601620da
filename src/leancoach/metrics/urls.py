from django.urls import path

from leancoach.metrics import views

app_name = "metrics"

M = "engagements/<id:pk>/measures/<id:measure_id>/"

urlpatterns = [
    path(M, views.measure_page, name="measure"),
    path(M + "baselines/", views.start_baseline, name="baseline_add"),
    path(M + "import/", views.upload_points, name="points_upload"),
]
