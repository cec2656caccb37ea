

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_career_department_group'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='user',
            options={'ordering': ['last_name', 'first_name'], 'permissions': [('import_user', 'Can import students and alumni from a file')], 'verbose_name': 'user', 'verbose_name_plural': 'users'},
        ),
    ]
