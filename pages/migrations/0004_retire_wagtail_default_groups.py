"""Wagtail's default "Editors" and "Moderators" groups lose their rights on the root.

Wagtail's own migrations made them with page rights on the root page and document and image
rights on the root collection, which reach every school's pages, documents and photos:
whoever is put in one sees and changes every school's. Rights here come from the role
groups, each school's staff group and each group page's editors, so these two have no
purpose. An empty one is deleted (a superuser can no longer put a teacher in "Editors"
thinking that is the teachers' group); one somebody uses keeps its members but loses its
rights on the root collection and the root page. ``pages.provisioning`` repeats this after
every migrate, for a later Wagtail migration that grants those groups something again.
"""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")


def forwards(apps, schema_editor):
    AuthGroup = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    groups = AuthGroup.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS)
    groups.filter(user__isnull=True).delete()
    GroupCollectionPermission.objects.filter(group__in=groups, collection__depth=1).delete()
    GroupPagePermission.objects.filter(group__in=groups, page__depth=1).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0003_school_collections"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # The last of Wagtail's migrations that grant these groups rights on the root.
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    # Backwards: the rights are not given back; nothing below the root needs them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
