"""Keep schools' collections, group pages and their editors in step with schools, groups,
teachers and staff roles."""

from django.apps import apps
from django.contrib.auth.models import Group as AuthGroup
from django.db.models import Q
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_migrate,
    post_save,
    pre_delete,
    pre_save,
)
from wagtail.images import get_image_model
from wagtail.signals import page_published

from schoolportal.notifications.queue import enqueue
from schoolportal.people.models import Group, School, StaffMember

from . import provisioning
from .models import (
    BlogPostPage,
    GroupPage,
    NewsletterIndexPage,
    NewsletterPage,
    PhotoAlbumPage,
    SchoolHomePage,
)


def school_saved(sender, instance, raw=False, **kwargs):
    """A new school gets its collection and staff group; a renamed one a renamed collection."""
    if not raw:
        provisioning.ensure_school_collection(instance)


def school_deleting(sender, instance, **kwargs):
    instance._school_media = provisioning.remember_school_media(instance)


def school_deleted(sender, instance, **kwargs):
    """After the cascade: the school's mailings and groups are gone, so what still uses one
    of its files is another school's."""
    media = getattr(instance, "_school_media", None)
    if media is not None:
        provisioning.remove_school_media(media["collection_id"], media["staff_id"])


def group_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        provisioning.ensure_group_page(instance)


def group_deleted(sender, instance, **kwargs):
    """Through the tree, so Wagtail removes the blog and albums below and keeps the tree whole.

    The group's photos go too (children's pictures are kept no longer than their group);
    its files may be attachments of mailings as well, so the collection keeps those.
    """
    for page in GroupPage.objects.filter(group=instance):
        collection = page.collection
        page.delete()  # its editors' group goes with it (group_page_deleted)
        if collection is not None:
            for image in get_image_model().objects.filter(collection=collection):
                image.delete()  # one by one: each removes its files and renditions


def group_page_deleted(sender, instance, **kwargs):
    """However the page goes (with its group, or through the tree with its home page), its
    editors' group goes too: its members would otherwise keep their rights on the group's
    collection, children's photos included."""
    if instance.editors_id is not None:
        AuthGroup.objects.filter(pk=instance.editors_id).delete()


def home_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        provisioning.ensure_group_pages(instance.school)
        provisioning.ensure_newsletter_index(instance)


def newsletter_index_deleted(sender, instance, **kwargs):
    """As a group page's: its editors' group goes with it."""
    if instance.editors_id is not None:
        AuthGroup.objects.filter(pk=instance.editors_id).delete()


def newsletter_published(sender, instance, **kwargs):
    enqueue("pages.tasks.make_newsletter_renditions", instance.pk)


def teachers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # staff_member.groups.add(...): instance is the staff member
        pages = GroupPage.objects.filter(group__school_id=instance.school_id)
    else:
        pages = GroupPage.objects.filter(group=instance)
    provisioning.sync_pages_editors(pages)


def staff_saving(sender, instance, raw=False, **kwargs):
    """Remember the school and account the member had: their pages may have to let go."""
    if not raw and instance.pk:
        stored = StaffMember.objects.filter(pk=instance.pk).values("school_id", "user_id").first()
        instance._stored_for_group_pages = stored


def staff_changed(sender, instance, raw=False, **kwargs):
    """A role, school or account changed: the pages of the school the member is at, and
    of the school they were at, or with the account they had."""
    if raw:
        return
    provisioning.sync_school_editors(instance.school_id)
    provisioning.sync_school_staff(instance.school_id)
    provisioning.sync_newsletter_editors(instance.school_id)
    stored = getattr(instance, "_stored_for_group_pages", None)
    if stored is None:
        return
    if stored["school_id"] != instance.school_id:
        provisioning.sync_school_staff(stored["school_id"])
        provisioning.sync_newsletter_editors(stored["school_id"])
    pages = GroupPage.objects.filter(
        Q(group__school_id=stored["school_id"]) | Q(editors__user=stored["user_id"])
    ).exclude(group__school_id=instance.school_id)
    provisioning.sync_pages_editors(pages)


def album_published(sender, instance, **kwargs):
    enqueue("pages.tasks.make_album_renditions", instance.pk)


def post_published(sender, instance, **kwargs):
    if instance.photo_id is not None:
        enqueue("pages.tasks.make_post_renditions", instance.pk)


def connect():
    page_published.connect(album_published, sender=PhotoAlbumPage, dispatch_uid="album-sizes")
    page_published.connect(post_published, sender=BlogPostPage, dispatch_uid="post-photo-size")
    page_published.connect(
        newsletter_published, sender=NewsletterPage, dispatch_uid="newsletter-photo-sizes"
    )
    post_delete.connect(
        newsletter_index_deleted, sender=NewsletterIndexPage, dispatch_uid="newsletter-editors"
    )
    post_migrate.connect(
        provisioning.ensure_newsletter_indexes,
        sender=apps.get_app_config("pages"),
        dispatch_uid="newsletter-indexes",
    )
    post_save.connect(school_saved, sender=School, dispatch_uid="school-collection")
    pre_delete.connect(school_deleting, sender=School, dispatch_uid="school-media-before")
    post_delete.connect(school_deleted, sender=School, dispatch_uid="school-media-gone")
    # Once per migrate, after all migrations (``sender``: this app).
    post_migrate.connect(
        provisioning.retire_wagtail_default_groups,
        sender=apps.get_app_config("pages"),
        dispatch_uid="wagtail-default-groups",
    )
    post_save.connect(group_saved, sender=Group, dispatch_uid="group-page-for-group")
    pre_delete.connect(group_deleted, sender=Group, dispatch_uid="group-page-gone")
    post_delete.connect(group_page_deleted, sender=GroupPage, dispatch_uid="group-page-editors")
    post_save.connect(home_page_saved, sender=SchoolHomePage, dispatch_uid="group-pages-for-home")
    m2m_changed.connect(
        teachers_changed, sender=Group.teachers.through, dispatch_uid="group-page-teachers"
    )
    pre_save.connect(staff_saving, sender=StaffMember, dispatch_uid="group-page-staff-before")
    post_save.connect(staff_changed, sender=StaffMember, dispatch_uid="group-page-staff")
    post_delete.connect(staff_changed, sender=StaffMember, dispatch_uid="group-page-staff-gone")
