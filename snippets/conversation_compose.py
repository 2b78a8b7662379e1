""" "Nieuw bericht" in the admin: to one parent, several, a whole group's, or colleagues.

A plain form that works without JavaScript: per group a box "Alle ouders van groep 3a" and,
folded away below it, each parent to tick; the colleagues likewise. Whom it offers and
accepts comes from ``access`` for the school the user writes from.

Parents never share a conversation with another family: a message to several parents
becomes one conversation per family (``access.families_among``), each with the colleagues
chosen; a message to colleagues only is one conversation.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from forms.staff_conversations import ComposeForm
from schoolportal import access
from schoolportal.conversations import sending
from schoolportal.people.models import School

from .screens import AdminScreen

INDEX = "conversations_admin:index"
# A link may tick recipients: ?ouder=<guardian id>&groep=<group id>&collega=<staff id>.
PRESELECT = {"guardian_ids": "ouder", "group_ids": "groep", "colleague_ids": "collega"}


def guardian_label(pair):
    return _("%(name)s (%(relation)s van %(child)s)") % {
        "name": pair.guardian.full_name,
        "relation": pair.get_relation_display(),
        "child": pair.pupil.first_name,
    }


def colleague_label(member):
    groups = ", ".join(group.name for group in member.groups.all())
    role = member.get_role_display()
    if groups:
        return f"{member.display_name} – {role} {groups}"
    return f"{member.display_name} – {role}"


class ComposeView(AdminScreen, TemplateView):
    template_name = "snippets/conversations/compose.html"
    page_title = gettext_lazy("Nieuw bericht")
    header_icon = "mail"

    def dispatch(self, request):
        schools = access.writing_schools(request.user)
        if not schools:
            raise Http404
        wanted = request.POST.get("school") or request.GET.get("school") or ""
        self.school_id = int(wanted) if wanted.isdigit() and int(wanted) in schools else schools[0]
        self.membership = access.membership_at(request.user, self.school_id)
        self.school_ids = schools
        return super().dispatch(request)

    def get_trail(self):
        return [(gettext_lazy("Berichten"), reverse(INDEX))]

    # --- What the form offers ----------------------------------------------------------

    def guardian_options(self):
        """[(group or None, [(guardian id, label)])]: the parents the user may write to,
        per group of their children, in one query."""
        pairs = (
            access.addressable_guardianships(self.request.user, self.school_id)
            .select_related("guardian", "pupil__group")
            .order_by(
                "pupil__group__lowest_year_level",
                "pupil__group__name",
                "pupil__last_name",
                "pupil__first_name",
                "pk",
            )
        )
        groups = {}
        for pair in pairs:
            group = pair.pupil.group
            groups.setdefault(group, []).append((pair.guardian_id, guardian_label(pair)))
        return list(groups.items())

    def colleague_options(self):
        colleagues = (
            access.addressable_colleagues(self.request.user, self.school_id)
            .prefetch_related("groups")
            .order_by("display_name")
        )
        return [(member.pk, colleague_label(member)) for member in colleagues]

    def get_form(self, options, colleagues):
        data = (self.request.POST, self.request.FILES) if self.request.method == "POST" else ()
        return ComposeForm(
            *data,
            guardians=[pk for _group, choices in options for pk, _label in choices],
            groups=[group.pk for group, _choices in options if group is not None],
            colleagues=[pk for pk, _label in colleagues],
        )

    def ticked(self, form):
        """{field: ids ticked}: what was posted, or on a first view what the link asked for
        ("Bericht sturen" at a parent: ``?ouder=12``). Only offered ids are ever shown."""
        if form.is_bound:
            return {name: form.chosen(name) for name in PRESELECT}
        query = self.request.GET
        return {
            name: {value for value in query.getlist(param) if value.isdigit()}
            for name, param in PRESELECT.items()
        }

    def get_context_data(self, **kwargs):
        options = self.guardian_options()
        colleagues = self.colleague_options()
        form = kwargs.pop("form", None) or self.get_form(options, colleagues)
        ticked = self.ticked(form)
        groups = [
            {
                "group": group,
                "guardians": [
                    (pk, label, str(pk) in ticked["guardian_ids"]) for pk, label in choices
                ],
                "whole": group is not None and str(group.pk) in ticked["group_ids"],
                "open": any(str(pk) in ticked["guardian_ids"] for pk, _label in choices),
            }
            for group, choices in options
        ]
        return super().get_context_data(
            form=form,
            groups=groups,
            colleagues=[
                (pk, label, str(pk) in ticked["colleague_ids"]) for pk, label in colleagues
            ],
            colleagues_open=bool(ticked["colleague_ids"]),
            school=self.membership.school,
            schools=(
                School.objects.filter(pk__in=self.school_ids).order_by("name")
                if len(self.school_ids) > 1
                else []
            ),
            **kwargs,
        )

    # --- Sending -------------------------------------------------------------------------

    def post(self, request):
        form = self.get_form(self.guardian_options(), self.colleague_options())
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        conversations = self.send(form.cleaned_data)
        if len(conversations) == 1:
            messages.success(request, _("Uw bericht is verzonden."))
            return redirect("conversations_admin:conversation", conversations[0].pk)
        messages.success(
            request,
            ngettext(
                "Uw bericht is verzonden: %(count)s gesprek.",
                "Uw bericht is verzonden: %(count)s gesprekken, één per gezin.",
                len(conversations),
            )
            % {"count": len(conversations)},
        )
        return redirect(INDEX)

    def recipients(self, data):
        """(families of guardians, colleagues) the form's choices come to, read again from
        ``access``: what the form offered is what may be chosen now."""
        user = self.request.user
        in_groups = access.addressable_guardianships(user, self.school_id).filter(
            pupil__group_id__in=data["group_ids"]
        )
        guardian_ids = set(data["guardian_ids"]) | set(
            in_groups.values_list("guardian_id", flat=True)
        )
        allowed = access.addressable_guardians(user, self.school_id).filter(pk__in=guardian_ids)
        guardians = {guardian.pk: guardian for guardian in allowed}
        families = [
            [guardians[pk] for pk in family]
            for family in access.families_among(sorted(guardians), self.school_id)
        ]
        colleagues = list(
            access.addressable_colleagues(user, self.school_id).filter(pk__in=data["colleague_ids"])
        )
        return families, colleagues

    @transaction.atomic
    def send(self, data):
        families, colleagues = self.recipients(data)
        parties = [[*family, *colleagues] for family in families] or [colleagues]
        return [
            sending.start_conversation(
                school=self.membership.school,
                subject=data["subject"],
                sender=self.membership,
                recipients=recipients,
                body=data["body"],
                files=data["attachments"],
            ).conversation
            for recipients in parties
        ]
