from django.conf import settings


def concord(request):
    return {
        "demo_mode": settings.DEMO_MODE,
        "mail_configured": settings.MAIL_CONFIGURED,
        "actor": getattr(request, "actor", None),
        "memberships": getattr(request, "memberships", []),
    }
