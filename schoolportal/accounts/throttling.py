from .models import normalise_email


def submitted_email(request, credentials):
    """The account a login attempt was for, normalised so 'A@x.nl' and 'a@x.nl' count together."""
    if credentials:
        return normalise_email(credentials.get("username") or credentials.get("email"))
    return normalise_email(request.POST.get("username"))
