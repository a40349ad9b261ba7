from apps.core.navigation import layout_context
from apps.core.roles import Role


def navigation(request):
    return layout_context(request.user, request)


def roles(request):
    """`Role` in every template, so a page compares `user.role == Role.LEADERSHIP`, never a string."""
    return {"Role": Role}
