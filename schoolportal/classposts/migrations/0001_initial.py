import django.db.models.deletion
from django.db import migrations, models


def create_approval_workflow(apps, schema_editor):
    """"Goedkeuring door de leerkracht" on every group page there is (new ones get it from
    ``classposts.signals``)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    task_type, _ = ContentType.objects.get_or_create(
        app_label="classposts", model="teacherapprovaltask"
    )
    task = apps.get_model("classposts", "TeacherApprovalTask").objects.create(
        name="Goedkeuring door de leerkracht", content_type=task_type, active=True
    )
    workflow = apps.get_model("wagtailcore", "Workflow").objects.create(
        name="Goedkeuring door de leerkracht", active=True
    )
    apps.get_model("wagtailcore", "WorkflowTask").objects.create(
        workflow=workflow, task=task, sort_order=0
    )
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    for page_id in apps.get_model("pages", "GroupPage").objects.values_list("pk", flat=True):
        WorkflowPage.objects.get_or_create(page_id=page_id, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("pages", "0008_blogpostpage_class_parent"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="TeacherApprovalTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
            ],
            options={
                "verbose_name": "goedkeuring door de leerkracht",
                "verbose_name_plural": "goedkeuringen door de leerkracht",
            },
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(create_approval_workflow, migrations.RunPython.noop),
    ]
