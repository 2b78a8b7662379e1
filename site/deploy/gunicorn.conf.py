"""gunicorn for production: `gunicorn -c site/deploy/gunicorn.conf.py schoolportal.wsgi`."""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = 2000
max_requests_jitter = 200
preload_app = True
accesslog = "-"

# The master loads the app once (preload_app) and forks the workers from it. As Python's
# gc.freeze() documentation advises: no collections while it loads, then everything it
# loaded is moved out of the collector's sight before the first fork. A worker's full
# collection then walks only what its requests made, where it walked all of Django and
# Wagtail (about 200,000 objects, 88 ms on a bench machine: one request in a few thousand
# waited that long), and leaves the pages it shares with the master unwritten.
# A reload (SIGHUP) reads this file again and loads the app anew, then calls on_reload
# before forking; post_fork makes sure no worker ever runs without collection.
gc.disable()


def when_ready(server):
    gc.freeze()
    gc.enable()


def on_reload(server):
    gc.freeze()
    gc.enable()


def post_fork(server, worker):
    gc.enable()


forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# The access log masks secret tokens in URLs (calendar feeds, invitations, password resets).
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "schoolportal.logging.MaskSecretsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["mask_secrets"],
        },
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
