"""Keep secrets in URLs (calendar feed, invitation and password-reset tokens) out of logs.

Log lines keep the first characters of a token, enough to tell requests apart.
"""

import logging
import re

SECRET_URL = re.compile(
    r"(?P<prefix>(?<!/portaal)/agenda/|/account/uitnodiging/|/account/wachtwoord-instellen/[^/\s]+/)"
    r"(?P<kept>[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{4,}"
)


def mask(text):
    return SECRET_URL.sub(r"\g<prefix>\g<kept>…", text)


class MaskSecretsFilter(logging.Filter):
    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                key: mask(value) if isinstance(value, str) else value
                for key, value in record.args.items()
            }
        return True
