from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("People and profiles")

    def ready(self):
        from accounts import data_protection, language  # noqa: F401  (the audit trail of people; sign-in language)
        from accounts.career_department import sync_after_migrate

        # After every migrate (and every flush of a test database), the Career Department's group
        # holds exactly its declared permissions.
        post_migrate.connect(sync_after_migrate, sender=self, dispatch_uid="accounts.career_department")
