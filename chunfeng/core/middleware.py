from django.conf import settings
from django.utils import translation
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the user chose another language (the language cookie set by
    the switcher). On the pages the browser's Accept-Language is ignored: the system's users
    work in Chinese whatever their browser says. The JSON API (``/api/``) has no switcher: a
    client without the cookie gets the language its Accept-Language names first among those
    the system has (``Accept-Language: en`` → English), Chinese otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = self.chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()  # the thread goes back to the default for other work
        response.headers.setdefault("Content-Language", language)
        return response

    def chosen(self, request) -> str:
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie in self.languages:
            return cookie
        if request.path.startswith("/api/"):
            header = request.headers.get("Accept-Language", "")
            for code, _quality in parse_accept_lang_header(header):
                try:
                    return get_supported_language_variant(code)
                except LookupError:
                    continue
        return settings.LANGUAGE_CODE
