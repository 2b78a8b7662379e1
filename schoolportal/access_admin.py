"""What of the Wagtail admin's documents, collections and pages belongs to which schools.

``schoolportal.access`` decides *which* schools a user works at and asks this module what
belongs to them; this module knows nothing of users (so ``access`` imports it without a
cycle). Everything the admin shows or serves about documents and pages (listings, choosers,
the admin API, bulk-action pages, downloads) rests on these rules.

A school owns (``pages.models.SchoolCollection``) one collection: its staff's uploads and
its group pages' collections live in or below it.
"""

from django.db.models import Q


def _subtrees(paths):
    """Q for the nodes at or below any of ``paths`` (a treebeard path is its ancestors' paths
    followed by its own step)."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def school_collection_paths(school_ids):
    from pages.models import SchoolCollection

    return list(
        SchoolCollection.objects.filter(school_id__in=school_ids).values_list(
            "collection__path", flat=True
        )
    )


def collections_of_schools(school_ids):
    """The schools' collections and every collection below them (their group pages')."""
    from wagtail.models import Collection

    return Collection.objects.filter(_subtrees(school_collection_paths(school_ids)))


def documents_of_schools(school_ids):
    """Documents that are these schools': in one of their collections, attached to one of
    their mailings or on one of their group pages; and documents left in the root collection
    (uploaded before schools had collections) by their staff, unless another school uses them.

    A document of no school (a parent's upload of a draft that is gone, say) is nobody's:
    only a superuser sees it.
    """
    from wagtail.documents import get_document_model

    from pages.models import GroupPageFile
    from schoolportal.mailings.models import MailingAttachment
    from schoolportal.people.models import StaffMember

    attached = MailingAttachment.objects.filter(mailing__school_id__in=school_ids)
    on_pages = GroupPageFile.objects.filter(page__group__school_id__in=school_ids)
    attached_elsewhere = MailingAttachment.objects.exclude(mailing__school_id__in=school_ids)
    on_pages_elsewhere = GroupPageFile.objects.exclude(page__group__school_id__in=school_ids)
    colleagues = StaffMember.objects.filter(school_id__in=school_ids, user__isnull=False)
    unfiled_by_colleagues = (
        Q(collection__depth=1, uploaded_by_user__in=colleagues.values("user_id"))
        & ~Q(pk__in=attached_elsewhere.values("document_id"))
        & ~Q(pk__in=on_pages_elsewhere.values("document_id"))
    )
    return get_document_model().objects.filter(
        Q(collection__in=collections_of_schools(school_ids).values("pk"))
        | Q(pk__in=attached.values("document_id"))
        | Q(pk__in=on_pages.values("document_id"))
        | unfiled_by_colleagues
    )


def group_page_documents(page):
    """The documents a group page holds: its files and what was uploaded into its collection."""
    from wagtail.documents import get_document_model

    return get_document_model().objects.filter(
        Q(pk__in=page.files.values("document_id")) | Q(collection_id=page.collection_id)
    )


def group_page_images(page):
    """The photos of an album's group page: in its collection, or on its albums already."""
    from wagtail.images import get_image_model

    from pages.models import AlbumPhoto

    below = AlbumPhoto.objects.filter(album__path__startswith=page.path)
    return get_image_model().objects.filter(
        Q(pk__in=below.values("image_id")) | Q(collection_id=page.collection_id)
    )


def pages_of_schools(school_ids):
    """The schools' home pages and everything below them."""
    from wagtail.models import Page

    from pages.models import SchoolHomePage

    paths = SchoolHomePage.objects.filter(school_id__in=school_ids).values_list("path", flat=True)
    return Page.objects.filter(_subtrees(paths))


def staff_accounts_of_school(school_id):
    """Accounts of everybody who works at the school, whatever their role."""
    from django.contrib.auth import get_user_model

    from schoolportal.people.models import StaffMember

    staff = StaffMember.objects.filter(school_id=school_id, user__isnull=False)
    return get_user_model().objects.filter(pk__in=staff.values("user_id"))


def tags_on(*querysets):
    """The tags of the images and documents in ``querysets`` (taggit's tags are shared by
    the whole installation, and a tag on a child's photo may well be the child's name)."""
    from django.contrib.contenttypes.models import ContentType
    from taggit.models import Tag, TaggedItem

    on_these = Q(pk__in=[])
    for queryset in querysets:
        content_type = ContentType.objects.get_for_model(queryset.model)
        tagged = TaggedItem.objects.filter(
            content_type=content_type, object_id__in=queryset.values("pk")
        )
        on_these |= Q(pk__in=tagged.values("tag_id"))
    return Tag.objects.filter(on_these)
