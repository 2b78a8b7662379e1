from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from schoolportal.prepared import PreparedQuery

from .models import normalise_email

# Read on every request: prepared once, as building it cost more than running it.
_user_with_guardian = PreparedQuery(
    lambda pk: get_user_model()._default_manager.select_related("guardian").filter(pk=pk).order_by()
)


class EmailBackend(ModelBackend):
    """ModelBackend that matches the e-mail address case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        return super().authenticate(request, username=normalise_email(email), password=password)

    def get_user(self, user_id):
        """The logged-in user of each request, with their guardian profile in the same query."""
        try:
            pk = get_user_model()._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        users = _user_with_guardian(pk)
        user = users[0] if users else None
        return user if user is not None and self.user_can_authenticate(user) else None
