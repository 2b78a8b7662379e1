"""Nieuwsbrieven: the archive of the parent's schools' issues, one issue, its photos and
documents.

Every view asks ``access`` for the issue; anything else answers 404. A photo or document
is served only when the issue shows it, so an issue's id opens nothing of another issue.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from pages.blocks import PHOTO_SIZE
from pages.renditions import request_newsletter_renditions
from schoolportal import access
from schoolportal.grouppages.views import photo_response
from schoolportal.newsletters.models import GroupNewsItem
from schoolportal.parentviews.caching import object_fragment_key
from schoolportal.parentviews.views import GuardianRequiredMixin, private_download

# Longer searches are cut: nobody types more, and the LIKE stays cheap.
MAX_QUERY = 100


class NewsletterReaderMixin(GuardianRequiredMixin):
    """Guardians of the school read its newsletters, and so does its staff."""

    def admits_without_guardian(self, user):
        return access.is_staff_member(user)


def schools_with_issues(user, query=""):
    """[(school, [issues newest first])] for the user's schools, by school name; with a
    query, only the issues whose title, intro, text or approved group items contain it. Two
    queries."""
    issues = access.newsletters_for(user).only("pk", "title", "issue_date", "intro", "school_id")
    if query:
        # Teachers' approved items count as the issue's text (a subquery: still one query).
        in_items = GroupNewsItem.objects.filter(live=True, text__icontains=query)
        issues = issues.filter(
            Q(title__icontains=query)
            | Q(intro__icontains=query)
            | Q(search_text__icontains=query)
            | Q(pk__in=in_items.values("issue_id"))
        )
    per_school = {}
    for issue in issues.order_by("-issue_date", "-pk"):
        per_school.setdefault(issue.school_id, []).append(issue)
    schools = access.schools_for(user).order_by("name")
    if user.is_superuser:
        schools = schools.filter(pk__in=list(per_school))
    return [(school, per_school.get(school.pk, [])) for school in schools]


class ArchiveView(NewsletterReaderMixin, TemplateView):
    """Nieuwsbrieven: every issue of the user's schools, newest first, per school."""

    template_name = "newsletters/index.html"

    def get_context_data(self, **kwargs):
        query = " ".join(self.request.GET.get("zoek", "").split())[:MAX_QUERY]
        schools = schools_with_issues(self.request.user, query)
        return super().get_context_data(
            schools=schools,
            query=query,
            found=sum(len(issues) for _school, issues in schools),
            **kwargs,
        )


def issue_or_404(user, pk):
    issue = access.newsletter_for(user, pk)
    if issue is None:
        raise Http404
    return issue


class IssueView(NewsletterReaderMixin, TemplateView):
    """One issue, readable on a phone."""

    template_name = "newsletters/issue.html"

    def get_context_data(self, **kwargs):
        issue = issue_or_404(self.request.user, kwargs["pk"])
        # Below the access check the body is the same for every reader of the issue: kept
        # per issue, data version (agenda changes bump it), day (the agenda block starts
        # today) and language.
        today = timezone.localdate().isoformat()
        return super().get_context_data(
            page=issue, body_key=f"{object_fragment_key(self.request, issue)}:{today}"
        )


class ImageView(NewsletterReaderMixin, View):
    """A photo of an issue, for the issue's readers only (never from MEDIA_URL)."""

    def get(self, request, pk, image_pk):
        issue = issue_or_404(request.user, pk)
        if image_pk not in issue.image_ids():
            raise Http404
        image = get_object_or_404(get_image_model(), pk=image_pk)
        return photo_response(image, PHOTO_SIZE, lambda: request_newsletter_renditions(issue.pk))


class DocumentView(NewsletterReaderMixin, View):
    """A document an issue's button links to; always a download."""

    def get(self, request, pk, document_pk):
        issue = issue_or_404(request.user, pk)
        if document_pk not in issue.document_ids():
            raise Http404
        document = get_object_or_404(get_document_model(), pk=document_pk)
        return private_download(document, document.filename)
