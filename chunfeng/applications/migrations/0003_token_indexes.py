from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0002_causes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='application',
            name='id_token',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
    ]
