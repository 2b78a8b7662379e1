"""Log lines a hosting provider can collect: one JSON object per line, no personal data.

The project's own log calls name ids and error types, never names, addresses or message
text (see ``notifications.queue``). What libraries log is kept the same way: django-axes
names the account of a failed login, so it gets a client string without it (``axes_client``).
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings

# The standard attributes of a LogRecord; anything else on a record came from ``extra=``.
RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        line.update(
            (key, value)
            for key, value in vars(record).items()
            if key not in RECORD_ATTRIBUTES and isinstance(value, str | int | float | bool)
        )
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def account_reference(username):
    """A short keyed digest of a login name: the same account gives the same reference in
    every line (enough to see an attack on one account), and nobody reads the address back."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), (username or "").strip().lower().encode(), hashlib.sha256
    )
    return digest.hexdigest()[:10]


def axes_client(username, ip_address, user_agent, path_info, request):
    """django-axes' ``AXES_CLIENT_STR_CALLABLE``: the account as a reference, no address."""
    return f"account {account_reference(username)} on {path_info}"
