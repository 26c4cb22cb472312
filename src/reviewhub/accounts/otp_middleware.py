"""Hold a signed-in user at the two-factor pages until their session is verified."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from .otp import otp_has_device, otp_required

# URL names an unverified user may still reach: the two-factor pages themselves and sign-out.
ALLOWED_URL_NAMES = ("accounts:otp_verify", "accounts:otp_setup", "accounts:logout")


class OTPRequiredMiddleware:
    """Send a signed-in, unverified user to enter a code (or to set up an authenticator).

    A user with a confirmed authenticator must enter a code before any other page; a user whose
    role sees case records and who has none must set one up. Everyone else passes. Runs after
    django-otp's OTPMiddleware, which sets ``request.user.is_verified()``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.otp_pending = False
        if user.is_authenticated and not user.is_verified():
            if otp_has_device(user):
                target = "accounts:otp_verify"
            elif otp_required(user):
                target = "accounts:otp_setup"
            else:
                return self.get_response(request)
            request.otp_pending = True
            if self._exempt(request):
                return self.get_response(request)
            url = reverse(target)
            nxt = request.get_full_path()
            if request.method == "GET" and url_has_allowed_host_and_scheme(
                nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                url += "?" + urlencode({"next": nxt})
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path_info
        if path.startswith(settings.STATIC_URL):
            return True
        allowed = getattr(OTPRequiredMiddleware, "_allowed_paths", None)
        if allowed is None:
            allowed = frozenset(reverse(name) for name in ALLOWED_URL_NAMES)
            OTPRequiredMiddleware._allowed_paths = allowed
        return path in allowed
