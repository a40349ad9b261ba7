import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from apps.accounts.models import OFFICER_ROLES, Role

# Roles whose sessions end when idle (ASVS 3.3.2): the department's officers and the bank (they see NIKs,
# verify payments, import and export the registry) and the evaluators it appoints. Buyers, sellers and
# cooperative officers keep SESSION_COOKIE_AGE.
IDLE_TIMEOUT_ROLES = frozenset({*OFFICER_ROLES, Role.ASSESSOR, Role.JUDGE})
LAST_SEEN_KEY = "_staff_last_seen"
# The session is written (and its expiry pushed back) at most once a minute, not on every request.
TOUCH_EVERY_SECONDS = 60


def idle_timeout_applies(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff or user.role in IDLE_TIMEOUT_ROLES))


class StaffIdleTimeoutMiddleware:
    """Signs a staff user out after STAFF_IDLE_TIMEOUT_SECONDS without a request, then asks them to sign in
    again (back to the page they asked for). The session itself also expires then (database and cookie),
    so it does not outlive the timeout even when this middleware never sees it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and idle_timeout_applies(user):
            timeout = settings.STAFF_IDLE_TIMEOUT_SECONDS
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > timeout:
                path = request.get_full_path()
                logout(request)
                messages.info(
                    request,
                    _("Sesi Anda berakhir karena tidak ada aktivitas selama %(menit)d menit. Silakan masuk lagi.")
                    % {"menit": timeout // 60},
                )
                return redirect_to_login(path if request.method == "GET" else "/")
            if last_seen is None or now - last_seen >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
                request.session.set_expiry(timeout)
        return self.get_response(request)
