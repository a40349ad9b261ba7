import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

from apps.core.roles import REGION_SCOPED, Role

# Roles whose sessions end when idle (ASVS 3.3.2): the department's officers and the bank (they see NIKs,
# verify payments, import and export the registry) and the evaluators it appoints. Buyers, sellers and
# cooperative officers keep SESSION_COOKIE_AGE.
IDLE_TIMEOUT_ROLES = frozenset({*REGION_SCOPED, Role.ASSESSOR, Role.JUDGE})
LAST_SEEN_KEY = "_staff_last_seen"
# The session is written (and its expiry pushed back) at most once a minute, not on every request.
TOUCH_EVERY_SECONDS = 60


def idle_timeout_applies(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.is_staff or user.role in IDLE_TIMEOUT_ROLES))


class StaffIdleTimeoutMiddleware:
    """Signs a staff user out after STAFF_IDLE_TIMEOUT_SECONDS without a request, then asks them to sign in
    again (back to the page they asked for). The time of the last request is kept in the session, written at
    most once a minute (so the timeout may come up to a minute early, never late); each write also sets the
    session's own expiry to the timeout (database row and cookie), so it does not outlive it anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and idle_timeout_applies(user):
            timeout = settings.STAFF_IDLE_TIMEOUT_SECONDS
            now = time.time()
            # Until the first touch a minute after signing in, the sign-in time stands for the last request:
            # the session is not written on its first requests.
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is None and user.last_login is not None:
                last_seen = user.last_login.timestamp()
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
