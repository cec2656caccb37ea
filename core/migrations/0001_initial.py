"""SentNotice moves here from ``mentoring``, with its table, its rows and its content type.

The table ``mentoring_sentnotice`` was created by mentoring's migrations and stays as it is: this
migration only records the model in the state of ``core`` (``mentoring`` 0006 removes it from
its own). That is why it comes after ``mentoring`` 0005, the last change to the table. The
content type moves too, so that permissions granted on sent notices and the admin's history of
them follow the model.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, source="mentoring", target="core"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="sentnotice").exists():
        ContentType.objects.filter(app_label=source, model="sentnotice").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="core", target="mentoring")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mentoring", "0005_notice_delivery_claims"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SentNotice",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(db_index=True, max_length=64, verbose_name="kind")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("period", models.CharField(blank=True, default="", max_length=32, verbose_name="period")),
                        ("batch", models.UUIDField(blank=True, db_index=True, editable=False, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="queued at")),
                        ("email", models.EmailField(max_length=254, verbose_name="sent to")),
                        ("subject", models.CharField(max_length=255, verbose_name="subject")),
                        ("body_text", models.TextField(verbose_name="text")),
                        ("body_html", models.TextField(verbose_name="HTML")),
                        ("attachments", models.JSONField(blank=True, default=list, verbose_name="attachments")),
                        ("delivered_at", models.DateTimeField(blank=True, db_index=True, null=True, verbose_name="delivered at")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="last attempt")),
                        ("claimed_until", models.DateTimeField(blank=True, editable=False, null=True)),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sent_notices",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="recipient",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "sent notice",
                        "verbose_name_plural": "sent notices",
                        "db_table": "mentoring_sentnotice",
                        "ordering": ["-created_at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("kind", "content_type", "object_id", "recipient", "period"),
                                name="notice_sent_once",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
