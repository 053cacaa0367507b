from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0002_application'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='id_token',
            field=models.CharField(blank=True, max_length=40),
        ),
        migrations.AlterField(
            model_name='case',
            name='phone_token',
            field=models.CharField(max_length=40),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['phone_token'], name='case_phone_token'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['id_token'], name='case_id_token'),
        ),
    ]
