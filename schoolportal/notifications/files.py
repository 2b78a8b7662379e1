"""Development e-mail: every message its own ``.eml`` file in ``EMAIL_FILE_PATH``.

Django's file backend writes a whole batch into one ``.log`` file, which no mail client
opens. Here each message is a complete RFC 5322 file (headers, text and HTML parts,
attachments) named ``<UTC time>-<process>-<counter>.eml``: sorted by name, the newest is last.
"""

import itertools
import os
import threading
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

_counter = itertools.count(1)
_counter_lock = threading.Lock()


def next_file_name():
    """A name that sorts after every earlier one written by any process (to the microsecond)."""
    with _counter_lock:
        number = next(_counter)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{os.getpid()}-{number:06d}.eml"


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("EMAIL_FILE_PATH is needed to write e-mails as files.")
        self.file_path = Path(path)

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        try:
            self.file_path.mkdir(parents=True, exist_ok=True)
        except OSError:
            if self.fail_silently:
                return 0
            raise
        sent = 0
        for message in email_messages:
            try:
                data = message.message().as_bytes()
                # "x": two processes never overwrite each other's message.
                with open(self.file_path / next_file_name(), "xb") as handle:
                    handle.write(data)
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent
