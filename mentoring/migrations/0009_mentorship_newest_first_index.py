"""An index in the admin list's order (the measured plan sorted the whole table): added only."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('mentoring', '0008_roster_from_earlier_rule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='mentorship',
            index=models.Index(models.OrderBy(models.F('requested_at'), descending=True), models.OrderBy(models.F('id'), descending=True), name='mentorship_newest_first'),
        ),
    ]
