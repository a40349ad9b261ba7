"""Role checks for views. Object-level access lives in each app's `access_<entity>` helpers (404 on refusal)."""

from functools import wraps
from typing import TYPE_CHECKING

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.core.roles import Role

if TYPE_CHECKING:
    from apps.accounts.models import User


class SignedInRequest(HttpRequest):
    """The request of a view behind `login_required` or `role_required`: its user is signed in, so it can be
    passed as the `Actor` of a service. A type for annotations only (Django builds plain `HttpRequest`s)."""

    user: "User"


class RoleRequired(PermissionDenied):
    """Refused for the user's role; the 403 page says which roles may act."""

    def __init__(self, roles: tuple[str, ...]) -> None:
        self.roles = roles
        labels = ", ".join(str(Role(r).label) for r in roles if r in Role.values)
        super().__init__(_("Halaman ini hanya untuk: %(roles)s.") % {"roles": labels})


def role_required(*roles: str):
    """Allow logged-in users whose role is one of `roles` (superusers always); others get 403 / the login."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.has_role(*roles):
                raise RoleRequired(roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
