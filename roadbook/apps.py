from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadbookConfig(AppConfig):
    name = "roadbook"
    verbose_name = _("Road-books")
