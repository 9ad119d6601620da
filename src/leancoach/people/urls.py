from django.urls import path

from leancoach.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/import/", views.import_people, name="import"),
    path("people/<id:pk>/", views.person_detail, name="detail"),
    path("people/<id:pk>/login/invite/", views.invite_to_sign_in, name="login_invite"),
    path("people/<id:pk>/login/disable/", views.disable_login, name="login_disable"),
    path("people/<id:pk>/login/enable/", views.enable_login, name="login_enable"),
    path("teams/", views.team_tree, name="team_tree"),
    path("teams/<id:pk>/", views.team_detail, name="team_detail"),
    path("teams/<id:pk>/children/", views.team_children, name="team_children"),
]
