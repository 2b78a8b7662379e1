from django.db import migrations


class Migration(migrations.Migration):
    """DataVersion moved to the parentviews app, which keeps this app's table."""

    dependencies = [
        ("portal", "0001_initial"),
        ("parentviews", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DataVersion")],
        ),
    ]
