from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "leancoach.metrics"
    label = "metrics"
