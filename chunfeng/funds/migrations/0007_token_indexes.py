from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('funds', '0006_receipt_allocation'),
    ]

    operations = [
        migrations.AlterField(
            model_name='paymentline',
            name='id_token',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
        migrations.AlterField(
            model_name='visit',
            name='id_token',
            field=models.CharField(blank=True, editable=False, max_length=40),
        ),
    ]
