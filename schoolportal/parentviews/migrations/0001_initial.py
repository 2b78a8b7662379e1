from django.db import migrations, models


class Migration(migrations.Migration):
    """DataVersion moves here from the portal app: its table stays where it is."""

    initial = True

    dependencies = [
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DataVersion",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("version", models.BigIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "gegevensversie",
                        "db_table": "portal_dataversion",
                    },
                ),
            ],
        ),
    ]
