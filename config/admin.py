"""The project's admin site: its titles, notices on the index (comments awaiting moderation), one "Moderation"
section for everything editors moderate with, and staff two-factor sign-in (config.two_factor)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from . import login_limits, two_factor


class EnrolmentForm(forms.Form):
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    token = forms.CharField(
        label="Authentication code shown by the app",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Authentication code from your app",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class BlogAdminSite(admin.AdminSite):
    site_header = "Blog administration"
    site_title = "Blog admin"
    index_title = "Articles, authors and comments"
    # Apps shown inside another app's section: xtd's models (the comments, blocked domains) join the comments
    # app's blocked words, so moderation is in one place on the index, in the sidebar and on either app's page.
    sections_merged_into = {"django_comments_xtd": "comments"}
    login_form = two_factor.TwoFactorAuthenticationForm
    login_template = "admin/login_two_factor.html"

    def has_permission(self, request):
        """Staff, and verified by a second factor when one is required."""
        if not super().has_permission(request):
            return False
        return not two_factor.required_for(request.user) or request.user.is_verified()

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """The log-in form (config.two_factor.TwoFactorAuthenticationForm), behind the wider lockouts."""
        if request.method != "POST":
            return super().login(request, extra_context)
        if login_limits.address_locked_out(request):
            return lockout(request)
        # Read by the log-in form: under the per-username lock only a sign-in that passes the second factor too
        # gets through; every other attempt gets the lockout page, right password or not.
        request.login_username_locked = login_limits.username_locked_for(request)
        response = super().login(request, extra_context)
        if not request.user.is_authenticated and request.login_username_locked:
            return lockout(request)
        return response

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_view, name="two_factor"),
            path("two-factor/enrol/", self.enrol_view, name="two_factor_enrol"),
            path("two-factor/enrol/<uidb64>/<token>/", self.enrol_link_view, name="two_factor_enrol_link"),
            *super().get_urls(),
        ]

    def two_factor_context(self, request, **context):
        return {**self.each_context(request), "title": "Two-factor sign-in", **context}

    @method_decorator(never_cache)
    def enrol_link_view(self, request, uidb64, token):
        """An administrator's enrolment link: a new key for this browser's session only, then the enrolment page
        (the link leaves the address bar, as Django's password reset does)."""
        user = user_from_uidb64(uidb64)
        if (
            user is None
            or not (user.is_active and user.is_staff)
            or not two_factor.enrolment_tokens.check_token(user, token)
        ):
            return TemplateResponse(request, "admin/two_factor_link.html", self.two_factor_context(request), status=404)
        request.session[two_factor.PENDING_SESSION_KEY] = {
            "user": user.pk,
            "token": token,
            "key": two_factor.new_key(),
            "failures": 0,
        }
        return redirect("admin:two_factor_enrol")

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def enrol_view(self, request):
        """Enrol an authenticator app: the QR code of the session's pending key, the password and a code to confirm
        it, then the recovery codes (shown once). The session signs in, verified, with a new session key."""
        pending = request.session.get(two_factor.PENDING_SESSION_KEY)
        user = get_user_model().objects.filter(pk=(pending or {}).get("user"), is_active=True, is_staff=True).first()
        if user is None or not two_factor.enrolment_tokens.check_token(user, pending["token"]):
            request.session.pop(two_factor.PENDING_SESSION_KEY, None)
            return TemplateResponse(request, "admin/two_factor_link.html", self.two_factor_context(request), status=404)
        form = EnrolmentForm(request.POST or None)
        if form.is_valid():
            signed_in = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
            right_code = two_factor.totp_matches(pending["key"], form.cleaned_data["token"]) is not None
            if signed_in is not None and signed_in.pk == user.pk and right_code:
                request.session.pop(two_factor.PENDING_SESSION_KEY)
                codes = two_factor.confirm_enrolment(request, signed_in, pending["key"], form.cleaned_data["token"])
                context = self.two_factor_context(request, enrolled=True, recovery_codes=codes)
                return TemplateResponse(request, "admin/two_factor.html", context)
            if signed_in is not None:  # A wrong code counts as a failed log-in, as a wrong password does.
                user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
            pending["failures"] += 1
            if pending["failures"] >= two_factor.PENDING_ATTEMPTS:
                pending.update(key=two_factor.new_key(), failures=0)
            request.session[two_factor.PENDING_SESSION_KEY] = pending
            form.add_error(
                None,
                "The password or the authentication code did not match. Check the app's clock, then try the newest "
                "code.",
            )
        device = two_factor.unsaved_app_device(user, pending["key"])
        context = self.two_factor_context(
            request,
            enrolling=user,
            form=form,
            qr_code=two_factor.qr_code_svg(device.config_url),
            secret=device_secret(device),
        )
        return TemplateResponse(request, "admin/two_factor.html", context)

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request):
        """Two-factor sign-in of a verified staff member: new recovery codes, for a current authentication code."""
        user = request.user
        if not (user.is_active and user.is_staff and two_factor.enrolled(user) and user.is_verified()):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        form = CodeForm(request.POST or None)
        passkeys = WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")
        context = self.two_factor_context(request, enrolled=True, form=form, passkeys=passkeys)
        if form.is_valid():
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            error = two_factor.check_app_code(device, form.cleaned_data["token"])
            if error is None:
                context["recovery_codes"] = two_factor.new_recovery_codes(user)
            else:
                form.add_error("token", error)
        return TemplateResponse(request, "admin/two_factor.html", context)

    def index(self, request, extra_context=None):
        """The index, with what needs an editor now: each ModelAdmin with an index_notice(request) may say."""
        notices = [
            notice
            for model_admin in self._registry.values()
            if hasattr(model_admin, "index_notice") and (notice := model_admin.index_notice(request))
        ]
        return super().index(request, {"notices": notices, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        sections = {section["app_label"]: section for section in super().get_app_list(request)}
        shown_in = {label: label for label in sections}
        for source, target in self.sections_merged_into.items():
            if source in sections and target in sections:
                models = [*sections[target]["models"], *sections.pop(source)["models"]]
                sections[target]["models"] = sorted(models, key=lambda model: model["name"])
                shown_in[source] = target
        if app_label is None:
            return list(sections.values())
        return [sections[shown_in[app_label]]] if app_label in shown_in else []


def lockout(request):
    from staff.events import log_event

    log_event("locked out", username=request.POST.get("username", ""), request=request, lock="username or address")
    return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=settings.AXES_HTTP_RESPONSE_CODE)


def user_from_uidb64(uidb64):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        return get_user_model()._default_manager.filter(pk=pk).first()
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None


def device_secret(device):
    """The key in base32, in groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class RoomyChangeListMixin:
    """For a ModelAdmin whose list has many columns: its list page leaves out the navigation sidebar (the
    breadcrumbs lead back), so the columns fit a 1280 px screen beside the filters without sideways scrolling."""

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})


class SecondFactorAdmin(admin.ModelAdmin):
    """A staff member's second factor as the admin shows it: whose, what, confirmed and last used, never its secret
    (no key, no QR code, no recovery codes, and nothing to add or edit: enrolment links and
    `manage.py reset_second_factor` do that)."""

    list_display = ["user", "name", "confirmed"]
    fields = ["user", "name", "confirmed"]
    readonly_fields = fields
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def hide_second_factor_secrets(site):
    """Replace django-otp's own admin pages (which show a TOTP key and its QR code to superusers, and the recovery
    codes) with SecondFactorAdmin."""
    from django_otp.plugins.otp_static.models import StaticDevice

    for model in (TOTPDevice, StaticDevice):
        if site.is_registered(model):
            site.unregister(model)
        site.register(model, SecondFactorAdmin)


@admin.action(description="Make an enrolment link (two-factor set-up) for the selected staff")
def make_enrolment_links(modeladmin, request, queryset):
    """An administrator's way to give a new staff member their single-use enrolment link (as `manage.py
    enrolment_link` does): shown once here, to pass on to its owner only."""
    for user in queryset.order_by("pk"):
        if not (user.is_active and user.is_staff and user.has_usable_password()):
            modeladmin.message_user(
                request, f"No link for {user.get_username()}: not an active staff account with a password.", "warning"
            )
            continue
        link = request.build_absolute_uri(two_factor.enrolment_path(user))
        modeladmin.message_user(request, f"Enrolment link for {user.get_username()} (works once): {link}")


def add_enrolment_link_action(site):
    user_admin = site._registry.get(get_user_model())
    if user_admin is not None and make_enrolment_links not in (user_admin.actions or []):
        user_admin.actions = [*(user_admin.actions or []), make_enrolment_links]
