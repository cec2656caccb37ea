"""An index in the admin list's order (the measured plan sorted the whole table): added only."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('evaluations', '0005_one_active_interview_and_roadbook_deadlines'),
        ('mentoring', '0009_mentorship_newest_first_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='interview',
            index=models.Index(models.F('start'), models.F('created_at'), models.OrderBy(models.F('id'), descending=True), name='interview_in_order'),
        ),
    ]
