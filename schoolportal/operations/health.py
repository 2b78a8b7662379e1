"""Probes for load balancers and orchestrators.

``/healthz`` answers whether this process serves requests at all: no session, no database, so
a slow database never gets healthy web processes killed. ``/readyz`` answers whether it can do
its work: every service a request may need (database, cache, task broker, file storage) is
asked once; any failure answers 503 so the balancer sends the traffic elsewhere.

Neither answer names hosts, addresses or error texts: a probe is public.
"""

import json
import logging

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpResponse
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_q.brokers import get_broker

logger = logging.getLogger(__name__)


def database_reachable():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_reachable():
    # A value of this probe's own: another process's probe may write the same key meanwhile.
    key, value = "readyz", get_random_string(12)
    cache.set(key, value, 30)
    return cache.get(key) == value


def broker_reachable():
    # The ORM broker's ping is the database's; Redis answers PING or raises.
    return bool(get_broker().ping())


def storage_reachable():
    # A HEAD request on object storage: wrong credentials or an unreachable bucket raise. It
    # never writes, so a balancer probing every few seconds costs no stored objects.
    default_storage.exists("readyz")
    return True


CHECKS = {
    "database": database_reachable,
    "cache": cache_reachable,
    "broker": broker_reachable,
    "storage": storage_reachable,
}


def run_checks():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failed"
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, type(error).__name__)
            results[name] = "failed"
    return results


@require_GET
def healthz(request):
    """For load balancers and `make bench`'s ceiling: no session, no database."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@never_cache
def readyz(request):
    results = run_checks()
    ready = all(result == "ok" for result in results.values())
    return HttpResponse(
        json.dumps(results, sort_keys=True),
        content_type="application/json",
        status=200 if ready else 503,
    )
