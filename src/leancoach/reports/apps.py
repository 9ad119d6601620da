from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "leancoach.reports"
    label = "reports"
