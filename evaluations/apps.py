from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Interviews and evaluations")

    def ready(self):
        from evaluations import contributions, data_protection  # noqa: F401  (register with the hook points)
