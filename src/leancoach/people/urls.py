from django.urls import path

from leancoach.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/import/", views.import_people, name="import"),
    path("people/<id:pk>/", views.person_detail, name="detail"),
    path("teams/", views.team_tree, name="team_tree"),
    path("teams/<id:pk>/", views.team_detail, name="team_detail"),
    path("teams/<id:pk>/children/", views.team_children, name="team_children"),
]
