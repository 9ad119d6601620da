from django.urls import path

from leancoach.engagements import views

app_name = "engagements"

E = "engagements/<id:pk>/"

urlpatterns = [
    path("engagements/", views.engagement_list, name="list"),
    path("engagements/new/", views.open_engagement, name="open"),
    path("engagements/request-mentor/", views.request_mentor, name="request_mentor"),
    path("engagements/who-has-seen-my-data/", views.my_audit, name="my_audit"),
    path("notes/", views.my_notes, name="my_notes"),
    path("notes/<id:note_id>/delete/", views.delete_my_note, name="my_note_delete"),
    path(E, views.engagement_detail, name="detail"),
    path(E + "status/", views.change_status, name="status"),
    path(E + "proposal/", views.proposal, name="proposal"),
    path(E + "answer/", views.answer_request, name="answer"),
    path(E + "roles/", views.change_role, name="roles"),
    path(
        E + "roles/<id:proposal_id>/answer/",
        views.answer_role_change,
        name="role_change_answer",
    ),
    path(
        E + "roles/<id:proposal_id>/withdraw/",
        views.withdraw_role_change,
        name="role_change_withdraw",
    ),
    path(E + "agreement/", views.agreement, name="agreement"),
    path(E + "agreement/edit/", views.edit_agreement, name="agreement_edit"),
    path(E + "agreement/<id:version>/sign/", views.sign_agreement, name="sign"),
    path(E + "needs/", views.needs, name="needs"),
    path(E + "needs/sponsor/add/", views.sponsor_need_views["add"], name="sponsor_need_add"),
    path(
        E + "needs/sponsor/<id:need_id>/edit/",
        views.sponsor_need_views["edit"],
        name="sponsor_need_edit",
    ),
    path(
        E + "needs/sponsor/<id:need_id>/remove/",
        views.sponsor_need_views["remove"],
        name="sponsor_need_remove",
    ),
    path(
        E + "needs/sponsor/<id:need_id>/move/",
        views.sponsor_need_views["move"],
        name="sponsor_need_move",
    ),
    path(E + "needs/client/add/", views.client_need_views["add"], name="client_need_add"),
    path(
        E + "needs/client/<id:need_id>/edit/",
        views.client_need_views["edit"],
        name="client_need_edit",
    ),
    path(
        E + "needs/client/<id:need_id>/remove/",
        views.client_need_views["remove"],
        name="client_need_remove",
    ),
    path(
        E + "needs/client/<id:need_id>/move/",
        views.client_need_views["move"],
        name="client_need_move",
    ),
    path(E + "assumptions/", views.assumptions, name="assumptions"),
    path(E + "notes/", views.private_notes, name="notes"),
    path(E + "measures/", views.add_measure, name="measure_add"),
    path(E + "measures/<id:measure_id>/values/", views.record_value, name="measure_value"),
    path(E + "audit/", views.audit_log, name="audit"),
]
