from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leancoach.core"
    label = "core"
    verbose_name = "leancoach core"

    def ready(self) -> None:
        from leancoach.core import checks  # noqa: F401  (registers system checks)
