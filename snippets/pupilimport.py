"""'Leerlingen importeren' in the admin: upload an export, read the preview, confirm;
then invite the guardians without an account. And 'Nieuw schooljaar': every group a
year up. Management and administration of a school only, like its other people screens.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem

from forms.pupilimport import UploadForm
from schoolportal import access
from schoolportal.pupilimport import invitations, promotion
from schoolportal.pupilimport.models import ImportRun
from schoolportal.pupilimport.plan import apply_plan, make_plan

from .screens import AdminScreen

STALE_UPLOADS = timedelta(days=7)


class ManagedScreen(AdminScreen):
    """Only for management and administration (the rights to change a school's people)."""

    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("people.add_pupil"):
            raise PermissionDenied
        self.school_choices = access.managed_schools(request.user).order_by("name")
        self.schools = list(self.school_choices)
        return super().dispatch(request, *args, **kwargs)


class ImportUploadView(ManagedScreen, TemplateView):
    template_name = "snippets/pupilimport_upload.html"
    page_title = gettext_lazy("Leerlingen importeren")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", UploadForm(schools=self.school_choices))
        runs = access.staff_objects(self.request.user, ImportRun).select_related("school")
        return super().get_context_data(runs=runs[:10], schools=self.schools, **kwargs)

    def post(self, request):
        form = UploadForm(request.POST, request.FILES, schools=self.school_choices)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        # Uploads nobody confirmed hold a school's pupils for nothing after a week.
        ImportRun.objects.filter(
            applied_at__isnull=True, created_at__lt=timezone.now() - STALE_UPLOADS
        ).delete()
        run = ImportRun.objects.create(
            school=form.cleaned_data["school"],
            created_by=request.user,
            file_name=form.cleaned_data["export"].name[:200],
            rows=form.rows,
        )
        return redirect("pupilimport_preview", pk=run.pk)


class RunScreen(ManagedScreen):
    def dispatch(self, request, pk):
        self.run = get_object_or_404(
            access.staff_objects(request.user, ImportRun).select_related("school"), pk=pk
        )
        return super().dispatch(request)

    def get_page_subtitle(self):
        return str(self.run)

    def get_trail(self):
        return [(_("Leerlingen importeren"), reverse("pupilimport_upload"))]


class ImportPreviewView(RunScreen, TemplateView):
    """GET shows what the import changes; POST carries it out, all or nothing."""

    template_name = "snippets/pupilimport_preview.html"
    page_title = gettext_lazy("Voorbeeld van de import")

    def get(self, request):
        if self.run.applied_at is not None:
            return redirect("pupilimport_invite", pk=self.run.pk)
        return super().get(request)

    def get_context_data(self, **kwargs):
        try:
            plan = make_plan(self.run.school, self.run.rows)
        except ValidationError as error:
            plan, kwargs["problem"] = None, " ".join(error.messages)
        return super().get_context_data(run=self.run, plan=plan, **kwargs)

    def post(self, request):
        if self.run.applied_at is not None:
            return redirect("pupilimport_invite", pk=self.run.pk)
        try:
            plan = apply_plan(self.run.school, self.run.rows, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("pupilimport_preview", pk=self.run.pk)
        self.run.applied_at = timezone.now()
        self.run.summary = plan.summary()
        self.run.rows = []
        self.run.save(update_fields=["applied_at", "summary", "rows"])
        messages.success(request, _("De import is verwerkt."))
        return redirect("pupilimport_invite", pk=self.run.pk)


class ImportInviteView(RunScreen, TemplateView):
    """After an import: invite every guardian without an account, and follow the sending."""

    template_name = "snippets/pupilimport_invite.html"
    page_title = gettext_lazy("Ouders uitnodigen")

    def dispatch(self, request, pk):
        if not request.user.has_perm("people.change_guardian"):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_context_data(self, **kwargs):
        progress = invitations.progress(self.run)
        return super().get_context_data(
            run=self.run,
            uninvited=invitations.uninvited_guardians(self.run.school).count(),
            progress=progress,
            sent=progress.get("sent", 0),
            waiting=progress.get("pending", 0) + progress.get("sending", 0),
            failed=progress.get("failed", 0) + progress.get("interrupted", 0),
            **kwargs,
        )

    def post(self, request):
        if self.run.applied_at is None:
            return redirect("pupilimport_preview", pk=self.run.pk)
        count = invitations.invite_all(self.run)
        messages.success(request, _("%(count)s uitnodigingen worden verstuurd.") % {"count": count})
        return redirect("pupilimport_invite", pk=self.run.pk)


class PromotionView(ManagedScreen, TemplateView):
    """Nieuw schooljaar: GET shows every group's move, POST carries them out."""

    template_name = "snippets/pupilimport_promotion.html"
    page_title = gettext_lazy("Nieuw schooljaar")

    def get_school(self):
        chosen = self.request.POST.get("school") or self.request.GET.get("school")
        for school in self.schools:
            if str(school.pk) == chosen:
                return school
        return self.schools[0] if self.schools else None

    def get_context_data(self, **kwargs):
        school, plan, problem = self.get_school(), None, None
        if school is not None:
            try:
                plan = promotion.make_promotion(school)
            except ValidationError as error:
                problem = " ".join(error.messages)
        return super().get_context_data(
            school=school, schools=self.schools, plan=plan, problem=problem, **kwargs
        )

    def post(self, request):
        school = self.get_school()
        if school is None:
            raise PermissionDenied
        try:
            done = promotion.promote(school)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("De groepen van %(school)s staan in schooljaar %(year)s.")
                % {"school": school, "year": done.next_year.name},
            )
        return redirect(reverse("pupilimport_promotion") + f"?school={school.pk}")


def urls():
    return [
        path("leerlingimport/", ImportUploadView.as_view(), name="pupilimport_upload"),
        path("leerlingimport/<int:pk>/", ImportPreviewView.as_view(), name="pupilimport_preview"),
        path(
            "leerlingimport/<int:pk>/uitnodigen/",
            ImportInviteView.as_view(),
            name="pupilimport_invite",
        ),
        path("nieuw-schooljaar/", PromotionView.as_view(), name="pupilimport_promotion"),
    ]


class ManagersMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("people.add_pupil") and bool(
            access.managed_schools(request.user).exists()
        )


def menu_item():
    return ManagersMenuItem(
        _("Leerlingen importeren"), reverse("pupilimport_upload"), icon_name="upload", order=220
    )
