"""Staff who are neither student nor alumnus get a role of their own; staff choose how they receive their notices."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_languages_and_sectors'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='staff_notices',
            field=models.CharField(choices=[('immediate', 'One mail for each notice, at once'), ('digest', 'One summary a day')], db_default='immediate', default='immediate', help_text='For staff: how you receive what needs the department (new mentor applications, coaching requests, late road-books, mentors withdrawn).', max_length=10, verbose_name='notices of the Career Department'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(choices=[('student', 'Student'), ('alumnus', 'Alumnus'), ('staff', 'Staff only')], max_length=10, verbose_name='role'),
        ),
    ]
