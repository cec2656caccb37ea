from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roadbook", "0002_reminder_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="roadbook",
            name="due_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="The deadline of the 3-day rule, once the first interview has a date.",
                null=True,
                verbose_name="due by",
            ),
        ),
        migrations.AddField(
            model_name="roadbook",
            name="first_interview_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="first interview"),
        ),
    ]
