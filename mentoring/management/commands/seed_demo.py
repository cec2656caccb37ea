import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Creates the demo campaign and accounts (idempotent: a second run creates nothing)."

    def handle(self, *args, **options):
        # Each app seeds its own demo data in a `demo` module, in the order of INSTALLED_APPS,
        # which follows the layers; seeding by discovery keeps this command from importing the
        # apps above it.
        context = {}
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if importlib.util.find_spec(module_name) is None:
                    continue
                importlib.import_module(module_name).seed(context)
        created = context.get("created", {})
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (created: {summary or 'nothing'})."))
        self.stdout.write("Demo accounts (password: demo-mentoring):")
        for email, role in [
            ("student@example.org", "student"),
            ("mentor@example.org", "mentor"),
            ("staff@example.org", "staff, opens /admin/ and /staff/"),
        ]:
            self.stdout.write(f"  {email:<24} {role}")
