"""SentNotice now belongs to ``core`` (its 0001): it leaves this app's state, not the database.

The table ``mentoring_sentnotice`` and its rows stay where they are; ``core.SentNotice`` uses it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring", "0005_notice_delivery_claims"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SentNotice")],
            database_operations=[],
        ),
    ]
