"""Mijn profiel, Mijn kinderen and Oppas: parents keep their own data up to date.

Every object comes from ``access``; anything outside the family answers 404.
"""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, ListView, TemplateView

from forms.family import (
    BabysitterForm,
    EmergencyContactFormSet,
    GuardianAddressForm,
    GuardianContactForm,
    GuardianPersonalForm,
    LinkChildForm,
    PupilAddressForm,
    PupilConsentForm,
    PupilMedicalForm,
)
from schoolportal import access
from schoolportal.accesslog.models import Action, Screen
from schoolportal.accesslog.recording import record
from schoolportal.consent.models import ConsentChannel
from schoolportal.consent.recording import save_with_consent_history
from schoolportal.parentviews.views import ActsForChildMixin, GuardianRequiredMixin
from schoolportal.people import linking

from .views import children_with_groups, own_children_key

PROFILE_SECTIONS = {
    "persoonlijk": (gettext_lazy("Persoonsgegevens"), GuardianPersonalForm),
    "adres": (gettext_lazy("Adres"), GuardianAddressForm),
    "contact": (gettext_lazy("Contact"), GuardianContactForm),
}

CHILD_SECTIONS = {
    "adres": (gettext_lazy("Adres"), PupilAddressForm),
    "medisch": (gettext_lazy("Medisch en allergieën"), PupilMedicalForm),
    "toestemming": (gettext_lazy("Toestemming foto's"), PupilConsentForm),
}


class SectionEditView(GuardianRequiredMixin, TemplateView):
    """Edit one tab of a profile. A failed save shows the errors and keeps what was typed."""

    template_name = "portal/section_edit.html"
    sections = {}

    def get_object(self):
        raise NotImplementedError

    def get_success_url(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("section") not in self.sections:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form(self):
        _title, form_class = self.sections[self.kwargs["section"]]
        data = self.request.POST if self.request.method == "POST" else None
        return form_class(data=data, instance=self.object)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        changed = form.save(commit=False)
        changed.mark_changed_by(request.user)
        self.save(changed)
        if form.changed_data:
            self.log_change(changed, form.changed_data)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect(self.get_success_url())

    def save(self, changed):
        changed.save()

    def log_change(self, changed, fields):
        """The parent's own edit goes into the Inzagelog (field names, no values)."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        title, _form_class = self.sections[self.kwargs["section"]]
        return super().get_context_data(
            section_title=title, object=self.object, cancel_url=self.get_success_url(), **kwargs
        )


class ProfileSectionEditView(SectionEditView):
    sections = PROFILE_SECTIONS

    def get_object(self):
        # A copy: a failed save must not show its unsaved values in the header's name button.
        return type(self.guardian).objects.get(pk=self.guardian.pk)

    def get_success_url(self):
        return reverse("portal:profile") + f"#{self.kwargs['section']}"

    def log_change(self, changed, fields):
        record(
            self.request,
            Action.CHANGED,
            where=Screen.PORTAL_PROFILE,
            guardians=[changed],
            fields=fields,
        )


def own_child_or_404(user, pk):
    return get_object_or_404(access.own_pupils(user).select_related("group", "school"), pk=pk)


class ChildListView(GuardianRequiredMixin, TemplateView):
    """Mijn kinderen."""

    template_name = "portal/children.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            children=SimpleLazyObject(lambda: list(children_with_groups(user))),
            children_key=own_children_key(self.request),
            **kwargs,
        )


class ChildDetailView(GuardianRequiredMixin, TemplateView):
    template_name = "portal/child_detail.html"

    def get_context_data(self, **kwargs):
        child = own_child_or_404(self.request.user, self.kwargs["pk"])
        return super().get_context_data(
            child=child,
            emergency_contacts=child.emergency_contacts.all(),
            may_act=access.may_act_for(self.request.user, child),
            **kwargs,
        )


class ChildSectionEditView(SectionEditView, ActsForChildMixin):
    sections = CHILD_SECTIONS

    def acting_for(self):
        self.child = own_child_or_404(self.request.user, self.kwargs["pk"])
        return self.child

    def authority_back_url(self):
        return reverse("portal:child", args=[self.child.pk]) + f"#{self.kwargs['section']}"

    def get_object(self):
        return self.child

    def get_success_url(self):
        return reverse("portal:child", args=[self.object.pk]) + f"#{self.kwargs['section']}"

    def save(self, changed):
        # Every tab, not only Toestemming: whatever form changes consent, history follows.
        def save():
            changed.save()
            return changed

        save_with_consent_history(changed, save, self.request.user, ConsentChannel.PORTAL)

    def log_change(self, changed, fields):
        record(
            self.request,
            Action.CHANGED,
            where=Screen.PORTAL_CHILD,
            pupils=[changed],
            fields=fields,
        )


class EmergencyContactsEditView(ActsForChildMixin, TemplateView):
    template_name = "portal/emergency_contacts_edit.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        self.child = own_child_or_404(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def acting_for(self):
        return self.child

    def authority_back_url(self):
        return reverse("portal:child", args=[self.child.pk]) + "#noodcontacten"

    def get(self, request, *args, **kwargs):
        formset = EmergencyContactFormSet(instance=self.child)
        return self.render_to_response(self.get_context_data(formset=formset))

    def post(self, request, *args, **kwargs):
        formset = EmergencyContactFormSet(request.POST, instance=self.child)
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(formset=formset), status=400)
        with transaction.atomic():
            formset.save()
            self.child.mark_changed_by(request.user)
            self.child.save(update_fields=["updated_at", "updated_by"])
        if formset.has_changed():
            record(
                request,
                Action.CHANGED,
                where=Screen.PORTAL_CHILD,
                pupils=[self.child],
                fields=["emergency_contacts"],
            )
        messages.success(request, _("De noodcontacten zijn opgeslagen."))
        return redirect(reverse("portal:child", args=[self.child.pk]) + "#noodcontacten")

    def get_context_data(self, **kwargs):
        return super().get_context_data(child=self.child, **kwargs)


class LinkChildView(GuardianRequiredMixin, FormView):
    """Kind koppelen with the school's one-time code."""

    template_name = "portal/link_child.html"
    form_class = LinkChildForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(locked=linking.is_locked(self.request.user), **kwargs)

    def form_valid(self, form):
        try:
            pupil = linking.redeem(
                self.guardian, form.cleaned_data["code"], form.cleaned_data["relation"]
            )
        except linking.LinkError as error:
            form.add_error("code", str(error))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(
            self.request, _("%(name)s is gekoppeld aan uw account.") % {"name": pupil.full_name}
        )
        return redirect("portal:children")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


def log_babysitters_changed(request, guardian):
    record(
        request,
        Action.CHANGED,
        where=Screen.PORTAL_PROFILE,
        guardians=[guardian],
        fields=["babysitters"],
    )


class BabysitterListView(GuardianRequiredMixin, ListView):
    """Oppas: never shown in class lists or to other parents."""

    template_name = "portal/babysitters.html"
    context_object_name = "babysitters"

    def get_queryset(self):
        return access.own_babysitters(self.request.user)


class BabysitterEditView(GuardianRequiredMixin, TemplateView):
    template_name = "portal/babysitter_form.html"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(access.own_babysitters(self.request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        form = BabysitterForm(instance=self.get_object())
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request, *args, **kwargs):
        babysitter = self.get_object()
        form = BabysitterForm(request.POST, instance=babysitter)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        babysitter = form.save(commit=False)
        babysitter.guardian = self.guardian if babysitter.pk is None else babysitter.guardian
        babysitter.save()
        if form.has_changed():
            log_babysitters_changed(request, babysitter.guardian)
        messages.success(request, _("De oppas is opgeslagen."))
        return redirect("portal:babysitters")


class BabysitterDeleteView(GuardianRequiredMixin, TemplateView):
    template_name = "portal/babysitter_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(babysitter=self._babysitter(), **kwargs)

    def _babysitter(self):
        return get_object_or_404(access.own_babysitters(self.request.user), pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        babysitter = self._babysitter()
        babysitter.delete()
        log_babysitters_changed(request, babysitter.guardian)
        messages.success(request, _("De oppas is verwijderd."))
        return redirect("portal:babysitters")
