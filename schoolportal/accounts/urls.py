from django.urls import path

from . import security_views as security
from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("wachtwoord-vergeten/", views.PasswordResetRequestView.as_view(), name="password_reset"),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("uitnodiging/<str:token>/", views.InvitationView.as_view(), name="invitation"),
    path(
        "e-mailadres-bevestigen/<str:token>/",
        views.EmailChangeConfirmView.as_view(),
        name="email_change_confirm",
    ),
    path("verificatie/", security.SecondFactorVerifyView.as_view(), name="two_factor_verify"),
    path("tweestapsverificatie/", security.SecondFactorView.as_view(), name="two_factor"),
    path(
        "tweestapsverificatie/instellen/",
        security.SecondFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "tweestapsverificatie/herstelcodes/",
        security.RecoveryCodesView.as_view(),
        name="two_factor_recovery_codes",
    ),
    path(
        "tweestapsverificatie/uitzetten/",
        security.SecondFactorOffView.as_view(),
        name="two_factor_off",
    ),
    path("apparaten/", security.LoginSessionsView.as_view(), name="login_sessions"),
    path(
        "apparaten/<int:pk>/beeindigen/",
        security.EndLoginSessionView.as_view(),
        name="login_session_end",
    ),
    path(
        "apparaten/andere-beeindigen/",
        security.EndOtherLoginSessionsView.as_view(),
        name="login_sessions_end_others",
    ),
]
