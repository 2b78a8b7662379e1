"""Every school its own collection and staff group, instead of document rights on the root.

Before this, the role groups ("Leerkrachten", "Administratie", "Directie") might add and
choose documents on the root collection, which reaches every school's collections: a
teacher could upload into another school's group collection and saw every school's
collection names. Now (as ``pages.provisioning`` does for new schools):

- each school gets a collection named after it and a staff group of everybody working
  there, which may add and choose documents in that collection only;
- each group page's collection moves below its school's collection;
- a document left in the root collection moves into the collection of the one school that
  uses it (a mailing attachment or group file), or else of the one school its uploader
  works at; anything else stays in the root, for superusers only;
- the role groups lose their collection rights.

Historical models have no tree methods, so nodes are placed by their materialised path
(treebeard's: four base-36 digits per level).
"""

from django.db import migrations
from django.db.models import F

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4
ROLE_GROUP_NAMES = ("Leerkrachten", "Administratie", "Directie")
SCHOOL_PERMISSIONS = ("add_document", "choose_document")


def _next_child_path(Collection, parent):
    last = (
        Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP:], 36) + 1 if last else 1
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return parent.path + digits.rjust(STEP, "0")


def _add_child(Collection, parent, name):
    child = Collection.objects.create(
        name=name, path=_next_child_path(Collection, parent), depth=parent.depth + 1, numchild=0
    )
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return child


def _move_below(Collection, node, parent):
    old_parent_path = node.path[:-STEP]
    new_path = _next_child_path(Collection, parent)
    for moved in Collection.objects.filter(path__startswith=node.path).order_by("path"):
        moved.path = new_path + moved.path[len(node.path) :]
        moved.depth = len(moved.path) // STEP
        moved.save(update_fields=["path", "depth"])
    Collection.objects.filter(path=old_parent_path).update(numchild=F("numchild") - 1)
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)


def _school_of_document(document, uses, staff_schools):
    used_by = uses.get(document.pk, set())
    if len(used_by) == 1:
        return next(iter(used_by))
    if not used_by:
        schools = staff_schools.get(document.uploaded_by_user_id, set())
        if len(schools) == 1:
            return next(iter(schools))
    return None


def forwards(apps, schema_editor):
    AuthGroup = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Document = apps.get_model("wagtaildocs", "Document")
    School = apps.get_model("people", "School")
    StaffMember = apps.get_model("people", "StaffMember")
    MailingAttachment = apps.get_model("mailings", "MailingAttachment")
    GroupPage = apps.get_model("pages", "GroupPage")
    GroupPageFile = apps.get_model("pages", "GroupPageFile")
    SchoolCollection = apps.get_model("pages", "SchoolCollection")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    GroupCollectionPermission.objects.filter(group__name__in=ROLE_GROUP_NAMES).delete()
    schools = list(School.objects.exclude(pk__in=SchoolCollection.objects.values("school_id")))
    if not schools:
        return
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtaildocs", codename__in=SCHOOL_PERMISSIONS
        )
    )

    collections = {}
    for school in schools:
        collection = _add_child(Collection, root, school.name)
        staff = AuthGroup.objects.create(name=f"{f'Medewerkers {school.name}'[:140]} #{school.pk}")
        SchoolCollection.objects.create(school=school, collection=collection, staff=staff)
        for permission in permissions:
            GroupCollectionPermission.objects.create(
                group=staff, collection=collection, permission=permission
            )
        accounts = StaffMember.objects.filter(school=school, user__isnull=False)
        staff.user_set.set(accounts.values_list("user_id", flat=True))
        collections[school.pk] = collection

    for page in GroupPage.objects.filter(
        group__school_id__in=collections, collection__depth=1 + root.depth
    ).select_related("group", "collection"):
        school_collection = Collection.objects.get(pk=collections[page.group.school_id].pk)
        _move_below(Collection, page.collection, school_collection)

    uses = {}
    for document_id, school_id in MailingAttachment.objects.values_list(
        "document_id", "mailing__school_id"
    ):
        uses.setdefault(document_id, set()).add(school_id)
    for document_id, school_id in GroupPageFile.objects.values_list(
        "document_id", "page__group__school_id"
    ):
        if school_id is not None:
            uses.setdefault(document_id, set()).add(school_id)
    staff_schools = {}
    for user_id, school_id in StaffMember.objects.filter(user__isnull=False).values_list(
        "user_id", "school_id"
    ):
        staff_schools.setdefault(user_id, set()).add(school_id)
    for document in Document.objects.filter(collection=root).only("pk", "uploaded_by_user_id"):
        school_id = _school_of_document(document, uses, staff_schools)
        if school_id in collections:
            Document.objects.filter(pk=document.pk).update(collection=collections[school_id])


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_schoolcollection"),
        ("mailings", "0001_initial"),
        ("people", "0002_guardian_mobile_phone_hidden"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    # Backwards: the schools keep their collections (nothing below them is lost), and the
    # role groups get their rights back from ``people.roles`` only if that code says so.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
