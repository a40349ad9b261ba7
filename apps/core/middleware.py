from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class NulQueryGuardMiddleware:
    """A NUL character in the query string is answered 400 before any view sees it (issue #15 L4): a filter
    read straight from `request.GET` would carry it into a query, where PostgreSQL refuses it with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()):
            return HttpResponseBadRequest(_("Alamat halaman memuat karakter yang tidak sah."))
        return self.get_response(request)
