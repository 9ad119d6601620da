from django.urls import path

from leancoach.metrics import views

app_name = "metrics"

M = "engagements/<id:pk>/measures/<id:measure_id>/"
T = "teams/<id:pk>/measures/"
TM = T + "<id:measure_id>/"

urlpatterns = [
    path(M, views.measure_page, name="measure"),
    path(M + "baselines/", views.start_baseline, name="baseline_add"),
    path(M + "import/", views.upload_points, name="points_upload"),
    path(T, views.team_measures, name="team_measures"),
    path(T + "add/", views.add_team_measure, name="team_measure_add"),
    path(TM, views.team_measure_page, name="team_measure"),
    path(TM + "values/", views.record_team_value, name="team_measure_value"),
    path(TM + "baselines/", views.start_team_baseline, name="team_baseline_add"),
    path(TM + "import/", views.upload_team_points, name="team_points_upload"),
]
