"""Pupils, groups and guardians: who sees and changes whom, and which contact details.

A guardian sees the groups of their children, the pupils of those groups and the guardians
of those pupils (the *fields* other parents may see are decided by the guardian's privacy
flags, see ``ContactDetailsPolicy``), and changes only their own children, and of those only
the ones they have parental authority over (``may_act_for``). A staff member
sees everything of the schools they work at; a teacher changes the groups they teach;
management and administration change everything of their school.
"""

from functools import cached_property

from django.db.models import Q

from schoolportal.people.models import Babysitter, Group, Guardianship, Pupil

from .scope import is_anonymous, scope

# --- Pupils ----------------------------------------------------------------


def own_pupils(user):
    """The user's own children: the pupils they may change."""
    if is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=scope(user).pupil_ids)


def children_with_authority(user):
    """The user's children they have parental authority over (``Guardianship.
    has_parental_authority``): the only ones they act for.

    Acting is changing the child's data, giving or withdrawing consent, reporting the child
    absent, registering lunch days, booking the child's interview and answering a reply
    slip for the child (docs/privacy.md lists every route). A guardian without authority
    is still informed (Civil Code 1:377c): every read rule keeps using ``own_pupils``.
    """
    if is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=scope(user).authority_pupil_ids)


def acting_guardianships(guardianships):
    """Of ``guardianships`` (guardian–child pairs, already read), those whose guardian acts
    for the child: answers a reply slip for it and is reminded to."""
    return [pair for pair in guardianships if pair.has_parental_authority]


def may_act_for(user, pupil):
    """Whether the user acts for ``pupil`` (a Pupil or its id): one of their children they
    have parental authority over. Costs no query once the user's ``scope`` is read."""
    if is_anonymous(user):
        return False
    return getattr(pupil, "pk", pupil) in scope(user).authority_pupil_ids


def own_guardianships(user):
    """The user's own relations to their children, oldest child first, with each child's
    group: what their profile lists."""
    if is_anonymous(user):
        return []
    return list(
        Guardianship.objects.filter(guardian__user_id=user.pk)
        .select_related("pupil__group")
        .order_by("pupil__date_of_birth", "pk")
    )


def pupils_for(user):
    """Pupils the user may see: classmates of their children, or everybody at their school;
    only pupils still at school (a pupil who left is kept for the record, not listed)."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.current()
    rights = scope(user)
    return Pupil.objects.current().filter(
        Q(pk__in=rights.pupil_ids)
        | Q(group_id__in=rights.group_ids)
        | Q(school_id__in=rights.staff_school_ids)
    )


# --- Groups ----------------------------------------------------------------


def groups_for(user):
    """Groups the user may see: those of their children, or all groups of their school."""
    if is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    rights = scope(user)
    return Group.objects.filter(
        Q(pk__in=rights.group_ids) | Q(school_id__in=rights.staff_school_ids)
    )


def group_for(user, pk):
    """Group ``pk`` with its school, if it is one of ``groups_for``; else None.

    A parent's groups are known from ``Scope``: only a group of theirs is read.
    """
    if is_anonymous(user):
        return None
    rights = scope(user)
    if user.is_superuser or rights.staff_school_ids:
        return groups_for(user).select_related("school").filter(pk=pk).first()
    if pk not in rights.group_ids:
        return None
    return Group.objects.filter(pk=pk).select_related("school").first()


def taught_groups(user):
    """The groups the user teaches."""
    if is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=scope(user).taught_group_ids)


def staff_groups(user):
    """The groups of the schools the user works at (for staff screens)."""
    if is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(school_id__in=scope(user).staff_school_ids)


def parent_groups(user):
    """Groups the user sees *as a parent* (through a child), whatever else they are."""
    if is_anonymous(user):
        return Group.objects.none()
    return Group.objects.filter(pk__in=scope(user).group_ids)


def editable_groups(user):
    """Groups whose pages and data the user may change: taught groups, or a managed school's."""
    if is_anonymous(user):
        return Group.objects.none()
    if user.is_superuser:
        return Group.objects.all()
    rights = scope(user)
    return Group.objects.filter(
        Q(pk__in=rights.taught_group_ids) | Q(school_id__in=rights.managed_school_ids)
    )


# --- Guardians -------------------------------------------------------------


def guardianships_of_pupils(user, pupil_ids):
    """Guardian–child pairs, with pupil and guardian, of those of ``pupil_ids`` the user may
    see (``pupils_for``), in the order they were linked."""
    pairs = Guardianship.objects.select_related("pupil", "guardian").order_by("pk")
    pupil_ids = set(pupil_ids)
    if pupil_ids <= set(scope(user).pupil_ids):
        # One's own children are always visible: no visibility subquery.
        return list(pairs.filter(pupil_id__in=sorted(pupil_ids)))
    return list(pairs.filter(pupil__in=pupils_for(user).filter(pk__in=pupil_ids)))


def own_babysitters(user):
    """The babysitters a guardian registered: only they (and staff) ever see them."""
    if is_anonymous(user):
        return Babysitter.objects.none()
    return Babysitter.objects.filter(guardian__user=user)


def sees_hidden_contact_details(user, school_id, group_id):
    """Whether staff ``user`` may read what the guardians of a pupil in group ``group_id`` at
    school ``school_id`` hid from other parents (address, phone numbers, e-mail, babysitter).

    Hidden from other parents is not hidden from the school, but within the school only
    from those who need it: management and administration see every family of their
    school, a teacher only the families of the groups they teach (least privilege). A
    pupil without a group is then management's alone. Costs no query once the user's
    ``scope`` is read.
    """
    if is_anonymous(user):
        return False
    if user.is_superuser:
        return True
    rights = scope(user)
    if school_id in rights.managed_school_ids:
        return True
    return group_id is not None and group_id in rights.taught_group_ids


class ContactDetailsPolicy:
    """Decides which contact fields of a guardian a viewer may read.

    Built once per request, then asked per guardian without further queries (the
    viewer's ``scope`` is read once), so a class list costs the same for 5 or 30 pupils.
    Names are always shared; address, phones and e-mail only when the guardian has not
    hidden them, unless the viewer is that guardian or may see the family's hidden details
    (``sees_hidden_contact_details``: management of the school, the group's teacher).
    """

    def __init__(self, viewer):
        self.viewer = viewer
        anonymous = is_anonymous(viewer)
        self.viewer_pk = None if anonymous else viewer.pk

    @classmethod
    def shared_with_every_parent(cls):
        """What a parent who is none of the guardians sees: only what each one shares."""
        return cls(None)

    @cached_property
    def own_pupil_ids(self):
        return set() if self.viewer_pk is None else set(scope(self.viewer).pupil_ids)

    def sees_hidden(self, school, group_id):
        return self.viewer_pk is not None and sees_hidden_contact_details(
            self.viewer, school.pk, group_id
        )

    def sees_everything(self, guardian, school, group_id=None):
        own = guardian.user_id is not None and guardian.user_id == self.viewer_pk
        return own or self.sees_hidden(school, group_id)

    def sees_only_shared(self, pupil_id, school, group_id=None):
        """Whether the viewer sees of the pupil's guardians only what they share.

        Then the viewer sees what ``shared_with_every_parent()`` sees, and a class list row
        rendered for one such viewer fits all of them. A guardian is the viewer themselves
        exactly when the pupil is one of the viewer's own children; management of the
        school and the group's teachers see every guardian whole.
        """
        if self.sees_hidden(school, group_id):
            return False
        return pupil_id not in self.own_pupil_ids

    def details(self, guardian, school, group_id=None):
        """The fields of ``guardian`` (a parent of a pupil in ``group_id`` at ``school``)
        the viewer may read."""
        everything = self.sees_everything(guardian, school, group_id)
        details = {"name": guardian.full_name}
        if everything or not guardian.address_hidden:
            details["address_lines"] = guardian.address_lines
        phones = [
            number
            for number, hidden in (
                (guardian.phone, guardian.phone_hidden),
                (guardian.mobile_phone, guardian.mobile_phone_hidden),
            )
            if number and (everything or not hidden)
        ]
        if phones:
            details["phones"] = phones
        if everything or not guardian.email_hidden:
            details["email"] = guardian.email
        return details


def children_at_schools_using(user, module):
    """The user's children at a school that switched ``module`` on (a School field such as
    ``"lunch_enabled"``): the one rule behind every optional module's parent pages."""
    if is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=scope(user).pupil_ids, **{f"school__{module}": True})
