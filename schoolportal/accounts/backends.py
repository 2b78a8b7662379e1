from django.contrib.auth.backends import ModelBackend

from .models import normalise_email


class EmailBackend(ModelBackend):
    """ModelBackend that matches the e-mail address case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        return super().authenticate(request, username=normalise_email(email), password=password)
