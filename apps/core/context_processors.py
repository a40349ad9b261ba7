from apps.core.navigation import layout_context


def navigation(request):
    return layout_context(request.user, request)
