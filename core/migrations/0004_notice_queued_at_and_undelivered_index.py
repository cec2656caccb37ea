"""The outbox records when a notice's delivery was queued, so that the re-queue sweep leaves alone
what is still waiting in the broker's queue; a partial index keeps the sweep's read small.

Added column and index only. Rows written before have no queue time: the next sweep queues the
undelivered ones once, as it did before.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0003_digest_schedule'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='sentnotice',
            name='queued_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='delivery queued at'),
        ),
        migrations.AddIndex(
            model_name='sentnotice',
            index=models.Index(condition=models.Q(('delivered_at__isnull', True), ('held', False)), fields=['queued_at', 'id'], name='notice_undelivered'),
        ),
    ]
