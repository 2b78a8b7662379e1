"""Agenda pages for parents, the subscription link and the public calendar feed."""

from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.parentviews.caching import request_version
from schoolportal.parentviews.views import GuardianRequiredMixin

from . import schedule
from .feeds import cached_feed_body, feed_version, find_feed, uid_domain
from .ical import build_calendar
from .models import CalendarFeed

WEEKS_PER_PAGE = 6


def _parse_date(value, default):
    """A date from the query string; anything unreadable or far outside school life: default."""
    try:
        parsed = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return parsed if 1900 <= parsed.year <= 2200 else default


def shared_agenda_key(request, *period):
    """What a rendered list of occurrences rests on, for ``{% cache %}`` with the language.

    The user's audience (``access.agenda_audience``: families with the same groups see the
    same agenda), the period and the data version, which every change of an agenda item,
    a group or a child's group bumps. The occurrences are read only when the fragment is
    not kept yet (the template's variable is lazy).
    """
    audience = access.agenda_audience(request.user)
    dates = ",".join(day.isoformat() for day in period)
    return f"{request_version(request)}:{audience}:{dates}"


class AgendaView(GuardianRequiredMixin, TemplateView):
    """Activities for the parent's groups and the whole school, grouped by week."""

    template_name = "agenda/agenda.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        first = _parse_date(self.request.GET.get("van"), today)
        first -= timedelta(days=first.weekday())
        last = first + timedelta(weeks=WEEKS_PER_PAGE, days=-1)
        user = self.request.user
        occurrences = SimpleLazyObject(lambda: schedule.occurrences(user, first, last))
        return super().get_context_data(
            weeks=SimpleLazyObject(lambda: schedule.by_week(occurrences)),
            agenda_key=shared_agenda_key(self.request, first, last),
            first=first,
            last=last,
            today=today,
            earlier=first - timedelta(weeks=WEEKS_PER_PAGE),
            later=last + timedelta(days=1),
            **kwargs,
        )


class AgendaMonthView(GuardianRequiredMixin, TemplateView):
    template_name = "agenda/month.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        month = _parse_date((self.request.GET.get("maand") or "") + "-01", today.replace(day=1))
        first = month.replace(day=1)
        grid_first = first - timedelta(days=first.weekday())
        grid_last = grid_first + timedelta(weeks=6)
        user = self.request.user
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return super().get_context_data(
            month=first,
            weeks=SimpleLazyObject(
                lambda: schedule.month_grid(
                    first.year, first.month, schedule.occurrences(user, grid_first, grid_last)
                )
            ),
            agenda_key=shared_agenda_key(self.request, first, grid_first, grid_last, today),
            previous=previous,
            following=following,
            today=today,
            **kwargs,
        )


def visible_item_or_404(user, pk):
    items = access.agenda_items_for(user).select_related("school")
    return get_object_or_404(items.prefetch_related("exceptions", "groups"), pk=pk)


class AgendaItemView(GuardianRequiredMixin, TemplateView):
    template_name = "agenda/item.html"

    def get_context_data(self, **kwargs):
        item = visible_item_or_404(self.request.user, self.kwargs["pk"])
        today = timezone.localdate()
        upcoming = item.occurrences(today, today + timedelta(days=366))[:10]
        return super().get_context_data(item=item, upcoming=upcoming, **kwargs)


class AgendaItemDownloadView(GuardianRequiredMixin, TemplateView):
    """One item as an .ics file, for calendars that do not subscribe."""

    def get(self, request, *args, **kwargs):
        item = visible_item_or_404(request.user, kwargs["pk"])
        body = build_calendar([item], item.title, uid_domain(), uid=f"agenda-item-{item.pk}")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agenda-{item.pk}.ics"'
        return response


class AgendaShareView(GuardianRequiredMixin, TemplateView):
    """Agenda delen: make a personal subscription link; a new one revokes the old at once.

    The link is shown once, right after it is made: only its hash is stored.
    """

    template_name = "agenda/share.html"

    def get_context_data(self, **kwargs):
        has_feed = CalendarFeed.objects.filter(user=self.request.user).exists()
        return super().get_context_data(has_feed=has_feed, **kwargs)

    def post(self, request, *args, **kwargs):
        token = CalendarFeed.renew(request.user)
        https_url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
        webcal_url = "webcal://" + https_url.split("://", 1)[1]
        context = self.get_context_data(https_url=https_url, webcal_url=webcal_url)
        response = self.render_to_response(context)
        # The page holds a secret: never cache it anywhere.
        patch_cache_control(response, no_store=True, private=True)
        return response


@require_GET
def calendar_feed(request, token):
    """The subscription feed: no login, the token is the key. A 304 costs one query."""
    feed = find_feed(token)
    if feed is None:
        raise Http404
    etag, changed = feed_version(feed)
    etag = quote_etag(etag)
    last_modified = int(changed.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        body = cached_feed_body(feed, etag)
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response
