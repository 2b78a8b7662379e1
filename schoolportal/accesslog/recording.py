"""Writing the access log: ``record`` is the one way a screen does it.

A list page shows many records at once, so a row per pupil must not cost a query per pupil:
``record`` only builds the rows and keeps them on the request, and
``AccessLogMiddleware`` writes all of one request's rows with one ``bulk_create`` when the
response leaves. Called with a user instead of a request (a task, a command), the rows are
written at once, again with one query.

The acting user is passed in by the view that knows them (no thread-local "current user").
"""

from django.http import HttpRequest

from schoolportal import access

from .models import AccessLogEntry, Subject

BUFFER = "access_log_rows"


def actor_name(user):
    if user is None or not user.is_authenticated:
        return ""
    return str(user)  # the full name, or the address


def _school_id(value):
    return getattr(value, "pk", value)


def entries(user, action, *, where, pupils=(), guardians=(), school=None, fields=()):
    """The rows for ``user`` doing ``action`` on ``pupils`` and ``guardians``, unsaved.

    A pupil's row belongs to the pupil's school. A guardian's belongs to ``school`` when the
    screen is about one (a class list); otherwise to each school of the guardian's children
    that the user reaches as staff, or, for a guardian changing their own profile, to each
    of their children's schools.
    """
    name = actor_name(user)
    changed = ",".join(fields)[:500]
    common = {"user": user, "user_name": name, "action": action, "where": where}
    common["changed_fields"] = changed
    rows = [
        AccessLogEntry(
            school_id=pupil.school_id,
            pupil=pupil,
            subject=Subject.PUPIL,
            subject_name=pupil.full_name,
            **common,
        )
        for pupil in pupils
    ]
    guardians = list(guardians)
    if not guardians:
        return rows
    if school is not None:
        schools = {guardian.pk: [_school_id(school)] for guardian in guardians}
    else:
        schools = access.log_schools_of_guardians(user, [guardian.pk for guardian in guardians])
    for guardian in guardians:
        rows.extend(
            AccessLogEntry(
                school_id=school_id,
                guardian=guardian,
                subject=Subject.GUARDIAN,
                subject_name=guardian.full_name,
                **common,
            )
            for school_id in schools.get(guardian.pk, ())
        )
    return rows


def record(request_or_user, action, *, where, pupils=(), guardians=(), school=None, fields=()):
    """Log that the request's user (or ``request_or_user`` itself, a user) did ``action``
    (an ``Action``) on the records of ``pupils`` and ``guardians`` in screen ``where``
    (a ``Screen``); ``fields`` names what a change changed.

    With a request the rows are written when the response leaves, together with every
    other row of the request: one query, however many pupils a list shows.
    """
    request = request_or_user if isinstance(request_or_user, HttpRequest) else None
    user = request.user if request is not None else request_or_user
    if user is None or not user.is_authenticated:
        return
    rows = entries(
        user, action, where=where, pupils=pupils, guardians=guardians, school=school, fields=fields
    )
    buffer = getattr(request, BUFFER, None) if request is not None else None
    if buffer is not None:
        buffer.extend(rows)
    elif rows:
        AccessLogEntry.objects.bulk_create(rows)


def flush(request):
    """Write the request's rows (one query), once."""
    rows = getattr(request, BUFFER, None)
    setattr(request, BUFFER, None)
    if rows:
        AccessLogEntry.objects.bulk_create(rows)


class AccessLogMiddleware:
    """Collects the access log rows of a request and writes them at its end, in one query.

    Whatever the response (a page, a download, an error after the records were shown), what
    was recorded is written: the user has seen it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        setattr(request, BUFFER, [])
        try:
            return self.get_response(request)
        finally:
            flush(request)
