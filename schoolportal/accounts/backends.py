from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

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
        UserModel = get_user_model()
        users = UserModel._default_manager.select_related("guardian").filter(pk=user_id)
        user = users.order_by().first()  # one row: no sort on the model's default ordering
        return user if user is not None and self.user_can_authenticate(user) else None
