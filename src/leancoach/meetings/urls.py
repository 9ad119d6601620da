from django.urls import path

from leancoach.meetings import views

app_name = "meetings"

E = "engagements/<id:pk>/"
M = E + "meetings/<id:meeting_id>/"

urlpatterns = [
    path(E + "meetings/", views.meeting_list, name="list"),
    path(E + "meetings/schedule/", views.schedule, name="schedule"),
    path(E + "meetings/add/", views.add_meeting, name="add"),
    path(M, views.meeting_page, name="meeting"),
    path(M + "move/", views.move_meeting, name="move"),
    path(M + "cancel/", views.cancel_meeting, name="cancel"),
    path(M + "close/", views.close_meeting, name="close"),
    path(M + "notes/private/", views.add_private_note, name="note_private"),
    path(M + "notes/shared/", views.add_shared_note, name="note_shared"),
    path(M + "notes/summary/", views.add_summary_note, name="note_summary"),
    path(M + "actions/", views.contract_action, name="contract"),
    path(M + "calendar.ics", views.meeting_ics, name="ics"),
    path(M + "obstacles/", views.park_obstacle, name="obstacle_add"),
    path(M + "obstacles/<id:obstacle_id>/", views.work_on_obstacle, name="obstacle_change"),
    path(M + "experiments/", views.plan_experiment, name="experiment_add"),
    path(M + "experiments/<id:experiment_id>/reflect/", views.reflect, name="reflect"),
    path(E + "summaries/", views.summaries, name="summaries"),
    path(E + "actions/log/", views.action_log, name="actions"),
    path(E + "actions/log/add/", views.add_action, name="action_add"),
    path(E + "actions/<id:action_id>/edit/", views.edit_action, name="action_edit"),
    path(E + "actions/<id:action_id>/done/", views.mark_action_done, name="action_done"),
    path(E + "actions/<id:action_id>/confirm/", views.confirm_action, name="action_confirm"),
    path("my/actions/", views.my_actions, name="my_actions"),
    path("my/calendar/issue/", views.issue_feed, name="feed_issue"),
    path("my/calendar/revoke/", views.revoke_feed, name="feed_revoke"),
    path("my/preferences/", views.save_preferences, name="preferences"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
