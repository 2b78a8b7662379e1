"""Lost phone and recovery codes: the technical administrator switches an account's 2FA off.

The account's sessions end too; at the next login somebody who must use it sets up a new
app first, anybody else logs in with the password alone.
"""

from django.core.management.base import BaseCommand, CommandError

from schoolportal import access
from schoolportal.accounts import loginsessions, twofactor
from schoolportal.accounts.models import User, normalise_email


class Command(BaseCommand):
    help = "Switch off two-factor authentication of one account (lost phone) and log it out."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, email, **options):
        user = User.objects.filter(email=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"No account with e-mail address {email}.")
        twofactor.switch_off(user)
        ended = loginsessions.end(access.own_login_sessions(user))
        self.stdout.write(
            f"Two-factor authentication of {user.email} is off; {ended} session(s) ended."
        )
