"""Starts the lists of languages and sectors that profiles and mentor enrolments choose from.

Staff extend them in the admin. Reversing removes only the rows this migration added, and only
while nothing refers to them.
"""

from django.db import migrations

LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
    ("it", "Italiano"),
    ("pt", "Português"),
    ("nl", "Nederlands"),
    ("zh", "中文"),
    ("ar", "العربية"),
    ("ja", "日本語"),
]

SECTORS = [
    "Aerospace and defence",
    "Agri-food",
    "Automotive and mobility",
    "Banking and finance",
    "Chemistry and materials",
    "Construction and civil engineering",
    "Consulting",
    "Data science and AI",
    "Education and research",
    "Energy",
    "Environment",
    "Healthcare and pharmaceuticals",
    "Industry and manufacturing",
    "Information technology",
    "Insurance",
    "Logistics and supply chain",
    "Marketing and communication",
    "Media and culture",
    "Public sector",
    "Retail and consumer goods",
    "Telecommunications",
]


def add(apps, schema_editor):
    Language = apps.get_model("accounts", "Language")
    Sector = apps.get_model("accounts", "Sector")
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    for name in SECTORS:
        Sector.objects.get_or_create(name=name)


def remove(apps, schema_editor):
    apps.get_model("accounts", "Language").objects.filter(code__in=[c for c, _ in LANGUAGES]).delete()
    apps.get_model("accounts", "Sector").objects.filter(name__in=SECTORS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
