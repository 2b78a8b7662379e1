"""Who may see what: the single authority on visibility.

Every view, export and task asks these functions instead of writing its own membership
query. Most return a queryset, so callers can filter, annotate and count it further. What
the rules rest on is read once per user object (``scope``).

The rules (Plone's local roles, in Wagtail terms):
- A guardian sees a school and a group because one of their children is in it,
  sees the pupils of those groups, and the guardians of those pupils (the
  *fields* other parents may see are decided by the guardian's privacy flags,
  see ``ContactDetailsPolicy``).
- A guardian changes only their own children.
- A staff member sees everything of the schools they work at; a teacher
  changes the groups they teach; management and administration change
  everything of their school.
- A superuser (the installation's technical administrator) sees everything.

One module per subject: ``scope`` (what rights rest on, schools), ``people`` (pupils,
groups, guardians, contact details), ``grouppages``, ``mailings``, ``newsletters``, ``agenda``
and ``admin``
(the Wagtail admin's per-school scope). They import models only, never views or forms.
"""

from .admin import (
    group_page_documents,
    group_page_images,
    is_school_scoped,
    may_use_admin,
    staff_accounts_of_school,
    staff_documents,
    staff_editable_objects,
    staff_images,
    staff_objects,
    staff_pages,
    staff_tags,
)
from .agenda import agenda_audience, agenda_items_for, editable_agenda_items
from .grouppages import (
    album_photos_for,
    group_files_for,
    group_page_child_for,
    group_page_editors,
    group_page_for,
    group_pages_for,
    published_children,
    taught_group_pages,
)
from .mailings import (
    attachments_for,
    class_parent_groups,
    editable_mailings,
    is_class_parent,
    is_own_sent_mailing,
    mailing_for,
    mailings_for,
    open_reply_slips_of_taught_groups,
    own_mailing_drafts,
    own_mailing_drafts_newest_first,
    own_pupils_addressed_by,
    own_sent_mailings,
)
from .newsletters import (
    newsletter_agenda_items,
    newsletter_editors,
    newsletter_for,
    newsletter_school_ids,
    newsletters_for,
)
from .people import (
    ContactDetailsPolicy,
    editable_groups,
    group_for,
    groups_for,
    guardianships_of_pupils,
    own_babysitters,
    own_guardianships,
    own_pupils,
    parent_groups,
    pupils_for,
    staff_groups,
    taught_groups,
)
from .scope import (
    children_of_outer_user,
    guardian_for,
    is_staff_member,
    managed_schools,
    schools_for,
    scope,
    staff_memberships_of_outer_user,
    staff_schools,
)

__all__ = [
    "ContactDetailsPolicy",
    "agenda_audience",
    "agenda_items_for",
    "album_photos_for",
    "attachments_for",
    "children_of_outer_user",
    "class_parent_groups",
    "editable_agenda_items",
    "editable_groups",
    "editable_mailings",
    "group_files_for",
    "group_for",
    "group_page_child_for",
    "group_page_documents",
    "group_page_editors",
    "group_page_for",
    "group_page_images",
    "group_pages_for",
    "groups_for",
    "guardian_for",
    "guardianships_of_pupils",
    "is_class_parent",
    "is_own_sent_mailing",
    "is_school_scoped",
    "is_staff_member",
    "mailing_for",
    "mailings_for",
    "managed_schools",
    "may_use_admin",
    "newsletter_agenda_items",
    "newsletter_editors",
    "newsletter_for",
    "newsletter_school_ids",
    "newsletters_for",
    "open_reply_slips_of_taught_groups",
    "own_babysitters",
    "own_guardianships",
    "own_mailing_drafts",
    "own_mailing_drafts_newest_first",
    "own_pupils",
    "own_pupils_addressed_by",
    "own_sent_mailings",
    "parent_groups",
    "published_children",
    "pupils_for",
    "schools_for",
    "scope",
    "staff_accounts_of_school",
    "staff_documents",
    "staff_editable_objects",
    "staff_groups",
    "staff_images",
    "staff_memberships_of_outer_user",
    "staff_objects",
    "staff_pages",
    "staff_schools",
    "staff_tags",
    "taught_group_pages",
    "taught_groups",
]
