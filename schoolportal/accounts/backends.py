from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from .models import normalise_email


class EmailBackend(ModelBackend):
    """ModelBackend that matches the e-mail address case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        return super().authenticate(request, username=normalise_email(email), password=password)

    def get_user(self, user_id):
        """The logged-in user of each request, with their guardian profile in the same query."""
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        try:
            user = user_model._default_manager.select_related("guardian").get(pk=pk)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
