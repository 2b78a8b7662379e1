"""Security headers Django 5.2 does not set by itself."""


def _portal_policy(frame_ancestors):
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


PORTAL_CSP = _portal_policy("'none'")
# Wagtail renders a preview by sending a made-up request for the page's own URL through the
# middleware (``request.is_preview``), and shows it in an iframe of the admin: the portal's
# policy, but framed by our own origin only. Wagtail's preview views themselves already
# answer X-Frame-Options: SAMEORIGIN, so X_FRAME_OPTIONS stays DENY for everything else.
PREVIEW_CSP = _portal_policy("'self'")
# Wagtail's admin still ships inline styles and a few inline scripts: it gets
# the same origin limits, is framed only by itself (the preview panel) and never loads
# foreign code.
ADMIN_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            policy = ADMIN_CSP
        elif getattr(request, "is_preview", False):
            policy = PREVIEW_CSP
        else:
            policy = PORTAL_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response
