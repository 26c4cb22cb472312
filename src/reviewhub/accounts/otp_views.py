"""Two-factor pages: set up an authenticator, enter a code, and (administrators) reset it."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors
from .access import role_required
from .choices import Role
from .otp import (
    Throttled,
    otp_has_device,
    otp_pending_device,
    otp_required,
    otp_reset,
    otp_setup_confirm,
    otp_setup_start,
    otp_verify,
    recovery_codes_left,
)
from .otp_forms import OTPSetupForm, OTPVerifyForm

WRONG_CODE = (
    "That code is not right, or it has been used already. Wait for the app to show a new code "
    "and try again."
)


def _next_url(request) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return ""


def _throttled_message(exc: Throttled) -> str:
    return f"Too many wrong codes. Wait {exc.seconds} seconds, then try again."


@require_http_methods(["GET", "POST"])
@login_required
def otp_setup(request):
    """Add an authenticator app: a fresh secret as a QR code, confirmed by its first code."""
    if otp_has_device(request.user):
        if request.user.is_verified():
            messages.info(request, "Two-factor sign-in is already set up for your account.")
            return redirect("home")
        return redirect("accounts:otp_verify")
    form = OTPSetupForm(request.POST or None)
    if request.method == "POST":
        device = otp_pending_device(user=request.user)
        if device is None:
            messages.error(request, "Your set-up expired. Scan the new QR code to start again.")
            return redirect("accounts:otp_setup")
        if form.is_valid():
            try:
                codes = otp_setup_confirm(
                    request=request, device=device, code=form.cleaned_data["code"]
                )
            except Throttled as exc:
                form.add_error("code", _throttled_message(exc))
            else:
                if codes:
                    return render(
                        request,
                        "accounts/otp_recovery_codes.html",
                        {"codes": codes, "next": _next_url(request) or "/"},
                    )
                form.add_error("code", WRONG_CODE)
    else:
        device = otp_setup_start(user=request.user)
    secret = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": otp_required(request.user),
        "next": _next_url(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify_view(request):
    """Enter a code from the authenticator app (or a recovery code) to finish signing in."""
    if not otp_has_device(request.user):
        return redirect("accounts:otp_setup" if otp_required(request.user) else "home")
    if request.user.is_verified():
        return redirect(_next_url(request) or "home")
    form = OTPVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp_verify(request=request, code=form.cleaned_data["code"])
        except Throttled as exc:
            form.add_error("code", _throttled_message(exc))
        else:
            if device is not None:
                left = recovery_codes_left(request.user)
                if device.persistent_id.startswith("otp_static") and left < 3:
                    messages.warning(
                        request,
                        f"You have {left} recovery codes left. Ask an administrator to reset "
                        "two-factor sign-in so you can set up your authenticator again.",
                    )
                return redirect(_next_url(request) or "home")
            form.add_error("code", WRONG_CODE)
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
@role_required(Role.ADMINISTRATOR)
def user_otp_reset(request, pk: int):
    """Remove a person's authenticator and recovery codes (they lost their phone, say)."""
    user = selectors.user_get(partnership=request.partnership, pk=pk)
    if user is None:
        raise Http404("No such user.")
    if user == request.user:
        messages.error(request, "Ask another administrator to reset your two-factor sign-in.")
    else:
        otp_reset(user=user, partnership=request.partnership)
        messages.success(
            request,
            f"Two-factor sign-in for {user} is reset and their sessions ended. They set up a new "
            "authenticator when they next sign in.",
        )
    return redirect("accounts:user_list")
