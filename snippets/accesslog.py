"""Inzagelog in the admin: who opened, changed, exported or printed which pupil's or
guardian's record, filtered by pupil, by staff member and by date, newest first.

Read-only: there is no add, edit or delete screen, only ``accesslog.recording`` writes rows.
Who reads which rows is ``access.access_log_entries``: management and administration their
own schools', teachers nothing.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem

from schoolportal import access
from schoolportal.accesslog.models import Action, Screen, Subject
from schoolportal.accesslog.recording import record
from schoolportal.people.models import Guardian, Pupil

from .screens import AdminScreen
from .viewsets import words_query

PER_PAGE = 50
SUBJECT_MODELS = {Subject.PUPIL: Pupil, Subject.GUARDIAN: Guardian}


def changed_fields(form):
    """Names of the form's fields and inline lists (emergency contacts, children) that a
    save changes: the names only, never the values."""
    names = list(form.changed_data)
    for name, formset in getattr(form, "formsets", {}).items():
        if formset.has_changed():
            names.append(name)
    return names


class AccessLoggedMixin:
    """An admin screen of a pupil's or guardian's record that leaves its trace in the log:
    opening it (``viewed``) and saving a change (``changed``, with the changed fields)."""

    def log_subject(self, obj):
        """{"pupils": [...]} or {"guardians": [...]}: whose record ``obj`` is."""
        if isinstance(obj, Pupil):
            return {"pupils": [obj], "where": Screen.ADMIN_PUPIL}
        return {"guardians": [obj], "where": Screen.ADMIN_GUARDIAN}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(self, "object", None) is not None and response.status_code == 200:
            record(request, Action.VIEWED, **self.log_subject(self.object))
        return response

    def save_instance(self):
        fields = changed_fields(self.form)
        saved = super().save_instance()
        if fields:
            record(self.request, Action.CHANGED, fields=fields, **self.log_subject(saved))
        return saved


class AccessLogFilterForm(forms.Form):
    pupil = forms.ModelChoiceField(
        label=_("Leerling"), queryset=None, required=False, empty_label=_("Alle")
    )
    user = forms.ModelChoiceField(
        label=_("Medewerker"), queryset=None, required=False, empty_label=_("Alle")
    )
    action = forms.ChoiceField(
        label=_("Actie"), choices=[("", _("Alle")), *Action.choices], required=False
    )
    start = forms.DateField(
        label=_("Van"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("Zoeken op naam"), required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = (
            access.access_log_pupils(user)
            .only("id", "first_name", "infix", "last_name")
            .order_by("last_name", "first_name", "pk")
        )
        self.fields["user"].queryset = access.access_log_staff(user).order_by(
            "last_name", "first_name", "email"
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("Deze datum ligt vóór de datum bij ‘Van’."))
        return cleaned

    def filter(self, rows):
        """The rows that match; none for a filter that is not valid (a pupil of another
        school, a date that is no date): the form says what is wrong."""
        if not self.is_valid():
            return rows.none()
        data = self.cleaned_data
        if data["pupil"]:
            rows = rows.filter(pupil=data["pupil"])
        if data["user"]:
            rows = rows.filter(user=data["user"])
        if data["action"]:
            rows = rows.filter(action=data["action"])
        if data["start"]:
            rows = rows.filter(at__date__gte=data["start"])
        if data["end"]:
            rows = rows.filter(at__date__lte=data["end"])
        if data["q"]:
            rows = rows.filter(words_query(data["q"], ["user_name", "subject_name"]))
        return rows


def field_labels(entry):
    """The changed fields of a row, named as their forms name them."""
    model = SUBJECT_MODELS.get(entry.subject)
    labels = []
    for name in filter(None, entry.changed_fields.split(",")):
        try:
            field = model._meta.get_field(name)
        except (FieldDoesNotExist, AttributeError):
            labels.append(name)
            continue
        label = getattr(field, "verbose_name", None)
        if label is None:  # an inline list (emergency contacts): the related rows' name
            label = field.related_model._meta.verbose_name_plural
        labels.append(str(label))
    return labels


class AccessLogView(AdminScreen, TemplateView):
    template_name = "snippets/accesslog.html"
    page_title = _("Inzagelog")
    header_icon = "history"

    def dispatch(self, request, *args, **kwargs):
        if not access.may_read_access_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = AccessLogFilterForm(self.request.GET or None, user=self.request.user)
        rows = access.access_log_entries(self.request.user).order_by("-at", "-pk")
        if form.is_bound:
            rows = form.filter(rows)
        page = Paginator(rows, PER_PAGE).get_page(self.request.GET.get("p"))
        for entry in page:
            entry.field_labels = field_labels(entry)
        query = self.request.GET.copy()
        query.pop("p", None)
        return super().get_context_data(
            form=form,
            page=page,
            query=query.urlencode(),
            retention_days=settings.ACCESS_LOG_RETENTION_DAYS,
            **kwargs,
        )


def urls():
    return [path("inzagelog/", AccessLogView.as_view(), name="accesslog")]


class AccessLogMenuItem(MenuItem):
    def is_shown(self, request):
        return access.may_read_access_log(request.user)


def menu_item():
    return AccessLogMenuItem(_("Inzagelog"), reverse("accesslog"), icon_name="history", order=217)
