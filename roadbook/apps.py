from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadbookConfig(AppConfig):
    name = "roadbook"
    verbose_name = _("Road-books")

    def ready(self):
        from roadbook import contributions, data_protection  # noqa: F401  (register with the hook points)
