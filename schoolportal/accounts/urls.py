from django.urls import path

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
]
