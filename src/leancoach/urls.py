from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from leancoach.api import api
from leancoach.core import views as core_views
from leancoach.core.converters import IdConverter
from leancoach.core.forms import LoginForm

register_converter(IdConverter, "id")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("profile/", core_views.profile, name="profile"),
    path("profile/tokens/<id:pk>/revoke/", core_views.revoke_token, name="revoke_token"),
    path("healthz", core_views.health, name="health"),
    path(
        "accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"
    ),
    path(
        "accounts/password_reset/",
        core_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("leancoach.people.urls")),
    path("", include("leancoach.engagements.urls")),
    path("", include("leancoach.metrics.urls")),
    path("", include("leancoach.cycle.urls")),
    path("", include("leancoach.meetings.urls")),
    path("", include("leancoach.reports.urls")),
    path("api/v1/", api.urls),
]

handler400 = "leancoach.core.views.bad_request"
handler403 = "leancoach.core.views.permission_denied"
handler404 = "leancoach.core.views.page_not_found"
handler500 = "leancoach.core.views.server_error"
