"""Django's SMTP backend, telling whether a failed message may have been delivered anyway.

A connection lost *after* the message data went to the server leaves it unknown whether the
server took the message: sending it again could deliver it twice. The outbox asks
``handed_over`` and marks such a message interrupted instead of retrying it.
"""

import smtplib

from django.core.mail.backends import smtp


class _Tracking:
    handed_over = False

    def data(self, msg):
        self.handed_over = True
        return super().data(msg)


class TrackingSMTP(_Tracking, smtplib.SMTP):
    pass


class TrackingSMTPSSL(_Tracking, smtplib.SMTP_SSL):
    pass


class EmailBackend(smtp.EmailBackend):
    @property
    def connection_class(self):
        return TrackingSMTPSSL if self.use_ssl else TrackingSMTP


def forget_hand_over(connection):
    if getattr(connection, "connection", None) is not None:
        connection.connection.handed_over = False


def handed_over(connection):
    """Whether the last message's data reached the server (False for non-SMTP backends)."""
    return bool(getattr(getattr(connection, "connection", None), "handed_over", False))
