from django.db import migrations, models
from django.db.models import F


def mark_uploads_of_class_parents(apps, schema_editor):
    """Attachments a class parent uploaded before this field existed: their drafts' files
    were uploaded by the mailing's author in the portal, never chosen from the library."""
    MailingAttachment = apps.get_model("mailings", "MailingAttachment")
    MailingAttachment.objects.filter(
        mailing__sender="class_parents",
        mailing__created_by__isnull=False,
        document__uploaded_by_user=F("mailing__created_by"),
    ).update(owns_document=True)


class Migration(migrations.Migration):
    dependencies = [("mailings", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="mailingattachment",
            name="owns_document",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_uploads_of_class_parents, migrations.RunPython.noop),
    ]
