"""Who may see what: the single authority on visibility.

Every view, export and task asks these functions instead of writing its own membership
query. Most return a queryset, so callers can filter, annotate and count it further. What
the rules rest on is read once per user object (``scope``).

The rules (Plone's local roles, in Wagtail terms):
- A guardian sees a school and a group because one of their children is in it,
  sees the pupils of those groups, and the guardians of those pupils (the
  *fields* other parents may see are decided by the guardian's privacy flags,
  see ``ContactDetailsPolicy``).
- A guardian changes only their own children, and only those they have parental
  authority over (``may_act_for``); without it they are informed, never act.
- A staff member sees everything of the schools they work at; a teacher
  changes the groups they teach; management and administration change
  everything of their school.
- A superuser (the installation's technical administrator) sees everything.

One module per subject: ``scope`` (what rights rest on, schools), ``people`` (pupils,
groups, guardians, contact details), ``grouppages`` (also which album photos a lack of
photo consent hides), ``classposts`` (blog posts klassenouders write, approved by the
group's teachers), ``mailings``, ``newsletters``, ``agenda``, ``conversations`` (Berichten,
the parents' side), ``staff_conversations``, ``absences``, ``lunch``, ``results``,
``interviews``, ``consent`` (photo consent and its history), ``dataexport`` (what "Mijn
gegevens downloaden" holds about a parent, and whose download is whose), ``privacy``
(deletion requests and the privacy log), ``accesslog`` (who reads the Inzagelog),
``accounts`` (who needs a second factor, logged-in devices), ``reactions`` (Reacties under
blog posts) and ``admin`` (the Wagtail admin's per-school scope). They import models only,
never views or forms.

The package's names are what it imports below: callers write ``access.pupils_for(user)``.
"""

from .absences import (
    absence_pupils,
    own_absence_reports,
    own_open_absence_report,
    reports_absences,
    staff_absence_groups,
    staff_absence_pupils,
    staff_absence_reports,
    uses_absences,
)
from .accesslog import (
    access_log_entries,
    access_log_pupils,
    access_log_staff,
    log_schools_of_guardians,
    may_read_access_log,
)
from .accounts import (
    must_use_second_factor,
    own_login_sessions,
    second_factor_resettable_accounts,
)
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
from .classposts import (
    approvable_class_posts,
    class_post_page_for,
    class_post_pages,
    edited_group_pages,
    may_approve_class_post,
    own_class_post_for,
    own_class_posts,
)
from .consent import consent_groups, consent_history, consent_pupils
from .conversations import (
    GUARDIAN_ROLE,
    STAFF_ROLE,
    addressable_staff,
    conversations_for,
    may_read_conversation,
    message_attachments_for,
    own_participants,
    unread_messages,
    with_unread,
)
from .dataexport import (
    data_export_for,
    exported_absence_reports,
    exported_class_parent_mailings,
    exported_consent_changes,
    exported_conversations,
    exported_email_changes,
    exported_emergency_contacts,
    exported_followed_posts,
    exported_guardianships,
    exported_interview_bookings,
    exported_lunch_days,
    exported_messages,
    exported_pupils,
    exported_reactions,
    exported_reply_slip_answers,
    exported_reports,
    exported_test_results,
    own_data_exports,
)
from .grouppages import (
    album_photos_audience,
    album_photos_for,
    group_files_for,
    group_page_child_for,
    group_page_editors,
    group_page_for,
    group_pages_for,
    photos_shown_to,
    published_children,
    taught_group_pages,
)
from .interviews import (
    editable_interview_rounds,
    feed_interview_bookings,
    interview_pupil_for,
    interview_pupils,
    interview_round_for,
    interview_rounds_for,
    interview_teachers,
    offered_slot,
    offered_slots,
    own_interview_booking,
    own_interview_bookings,
    staff_interview_bookings,
    staff_interview_pupils,
    staff_interview_rounds,
    staff_interview_slots,
    teacher_interview_bookings,
    uses_interviews,
)
from .lunch import (
    lunch_pupil_for,
    lunch_pupils,
    own_active_lunch_day,
    own_lunch_days,
    staff_lunch_days,
    staff_lunch_groups,
    staff_lunch_pupils,
    uses_lunch,
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
    writes_to_every_school,
)
from .newsletters import (
    approvable_group_items,
    approved_group_items,
    editable_group_items,
    may_approve_group_item,
    may_send_newsletter,
    newsletter_agenda_items,
    newsletter_editors,
    newsletter_for,
    newsletter_photo_allowed,
    newsletter_school_ids,
    newsletters_for,
    staff_group_items,
    staff_newsletters,
)
from .people import (
    ContactDetailsPolicy,
    acting_guardianships,
    children_with_authority,
    editable_groups,
    group_for,
    groups_for,
    guardianships_of_pupils,
    may_act_for,
    own_babysitters,
    own_guardianships,
    own_pupils,
    parent_groups,
    pupils_for,
    sees_hidden_contact_details,
    staff_groups,
    taught_groups,
)
from .privacy import (
    erasable_guardians,
    may_handle_privacy,
    privacy_log_entries,
    privacy_school_of,
    privacy_schools,
)
from .reactions import (
    may_moderate,
    moderated_reaction_for,
    moderated_reactions,
    own_reaction_for,
    post_audiences,
    post_reactions,
    post_teachers,
    reactable_post_for,
    reaction_for,
    reaction_rights,
    reactions_switched_on,
    removable_reaction_for,
)
from .results import (
    children_with_new_results,
    released_reports,
    released_test_results,
    results_pupil_for,
    results_pupils,
    staff_reports,
    staff_results_groups,
    staff_results_pupils,
    staff_test_results,
    uses_results,
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
from .staff_conversations import *  # noqa: F403  (Berichten, the staff side: its own __all__)
