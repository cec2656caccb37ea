from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Notices")

    def ready(self):
        # Each app declares the notice kinds it sends in its own ``notices`` module, the way it
        # declares its admin in ``admin``: the outbox knows every kind before the first send.
        autodiscover_modules("notices")
