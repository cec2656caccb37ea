"""The outbox learns two things: notices held for a daily digest, and notices to an address
that is nobody's account (the Career Department's mailbox when the group has no member).

Only added columns and a constraint: no row changes. The reverse makes the recipient required
again, which fails while a notice to a bare address exists: delete those rows first.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='sentnotice',
            name='digest',
            field=models.UUIDField(blank=True, db_index=True, editable=False, null=True, verbose_name='digest'),
        ),
        migrations.AddField(
            model_name='sentnotice',
            name='held',
            field=models.BooleanField(db_default=False, default=False, verbose_name='held for the daily digest'),
        ),
        migrations.AddField(
            model_name='sentnotice',
            name='link',
            field=models.URLField(blank=True, db_default='', max_length=500, verbose_name='link'),
        ),
        migrations.AlterField(
            model_name='sentnotice',
            name='recipient',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='sent_notices', to=settings.AUTH_USER_MODEL, verbose_name='recipient'),
        ),
        migrations.AddConstraint(
            model_name='sentnotice',
            constraint=models.UniqueConstraint(condition=models.Q(('recipient__isnull', True)), fields=('kind', 'content_type', 'object_id', 'email', 'period'), name='notice_sent_once_to_address'),
        ),
    ]
