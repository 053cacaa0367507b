import chunfeng.core.indexes
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0005_household_fewer_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='household',
            name='household_id_token',
        ),
        migrations.AddIndex(
            model_name='household',
            index=chunfeng.core.indexes.EqualityIndex(fields=['id_token'], name='household_id_token'),
        ),
    ]
