from django.urls import path

from leancoach.cycle import views

app_name = "cycle"

E = "engagements/<id:pk>/"

urlpatterns = [
    path(E + "practice/", views.practice, name="practice"),
    path(E + "practice/behaviours/", views.add_behaviour, name="behaviour_add"),
    path(
        E + "practice/behaviours/<id:behaviour_id>/rewrite/",
        views.rewrite_behaviour,
        name="behaviour_rewrite",
    ),
    path(E + "practice/commitments/", views.commit_to_practice, name="commitment_add"),
    path(E + "practice/<id:commitment_id>/log/", views.log_practice, name="practice_log"),
    path(E + "observations/", views.observations, name="observations"),
    path(E + "observations/record/", views.record_observation, name="observation_record"),
    path(E + "targets/", views.targets, name="targets"),
    path(E + "targets/new/", views.set_target, name="target_add"),
    path(E + "targets/<id:target_id>/close/", views.close_target, name="target_close"),
    path(E + "skills/", views.skills, name="skills"),
    path(E + "skills/new/", views.define_skill, name="skill_add"),
    path(E + "skills/<id:skill_id>/observe/", views.observe_chain, name="skill_observe"),
    path("challenges/", views.challenges, name="challenges"),
    path("coaching/consistency/", views.my_consistency, name="my_consistency"),
    path(E + "challenge/", views.link_challenge, name="challenge_link"),
    path(E + "current-condition/", views.current_condition, name="current_condition"),
]
