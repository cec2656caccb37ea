"""Sectors get a French name, shown on French pages; the starting list is translated here.

Staff edit both names in the admin; a sector without a French name shows its English one.
"""

from django.db import migrations, models

FRENCH = {
    "Aerospace and defence": "Aéronautique et défense",
    "Agri-food": "Agroalimentaire",
    "Automotive and mobility": "Automobile et mobilité",
    "Banking and finance": "Banque et finance",
    "Chemistry and materials": "Chimie et matériaux",
    "Construction and civil engineering": "BTP et génie civil",
    "Consulting": "Conseil",
    "Data science and AI": "Science des données et IA",
    "Education and research": "Enseignement et recherche",
    "Energy": "Énergie",
    "Environment": "Environnement",
    "Healthcare and pharmaceuticals": "Santé et industrie pharmaceutique",
    "Industry and manufacturing": "Industrie et production",
    "Information technology": "Informatique et numérique",
    "Insurance": "Assurance",
    "Logistics and supply chain": "Logistique et supply chain",
    "Marketing and communication": "Marketing et communication",
    "Media and culture": "Médias et culture",
    "Public sector": "Secteur public",
    "Retail and consumer goods": "Distribution et biens de consommation",
    "Telecommunications": "Télécommunications",
}


def translate(apps, schema_editor):
    Sector = apps.get_model("accounts", "Sector")
    for name, french in FRENCH.items():
        # A name staff already set is kept.
        Sector.objects.filter(name=name, name_fr="").update(name_fr=french)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_import_permission")]

    operations = [
        migrations.AddField(
            model_name="sector",
            name="name_fr",
            field=models.CharField(blank=True, max_length=100, verbose_name="name in French"),
        ),
        migrations.RunPython(translate, migrations.RunPython.noop),
    ]
