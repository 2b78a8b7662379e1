"""Inzagelog: who opened or changed which pupil's or guardian's record, where and when.

``recording.record`` is the one way a screen writes it (batched per request by
``recording.AccessLogMiddleware``); ``retention`` removes rows older than
``ACCESS_LOG_RETENTION_DAYS``. Management reads it in the admin (``snippets/accesslog.py``),
through ``access.accesslog``. Nobody changes or deletes a row by hand.
"""
