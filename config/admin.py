"""The project's admin site: its titles, notices on the index (comments awaiting moderation), one "Moderation"
section for everything editors moderate with, and staff two-factor sign-in (config.two_factor)."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from . import login_limits, two_factor


class EnrolmentForm(forms.Form):
    token = forms.CharField(
        label="Code shown by the app",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
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
        """A staff member signed in with the password alone, with no second factor yet, goes to enrolment."""
        if request.user.is_authenticated and two_factor.needs_enrolment(request.user):
            return redirect("admin:two_factor")
        if request.method != "POST":
            return super().login(request, extra_context)
        if login_limits.address_locked_out(request):
            return lockout(request)
        # Read by the log-in form: under the per-username lock only a sign-in that passes the second factor too
        # gets through; every other attempt gets the lockout page, right password or not.
        request.login_username_locked = login_limits.username_locked_for(request)
        response = super().login(request, extra_context)
        if not request.user.is_authenticated:
            return lockout(request) if request.login_username_locked else response
        if two_factor.needs_enrolment(request.user):
            return redirect("admin:two_factor")
        return response

    def get_urls(self):
        return [path("two-factor/", self.two_factor_view, name="two_factor"), *super().get_urls()]

    @method_decorator(never_cache)
    @method_decorator(csrf_protect)
    def two_factor_view(self, request):
        """Enrol an authenticator app: a QR code, a code to confirm it, then the recovery codes (shown once).

        Enrolled and verified staff come here to replace their recovery codes."""
        user = request.user
        if not (user.is_active and user.is_staff):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        context = {**self.each_context(request), "title": "Two-factor sign-in"}
        if two_factor.enrolled(user):
            if not user.is_verified():
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            if request.method == "POST":
                context["recovery_codes"] = two_factor.new_recovery_codes(user)
            return TemplateResponse(request, "admin/two_factor.html", {**context, "enrolled": True})
        device = two_factor.pending_app_device(user)
        form = EnrolmentForm(request.POST or None)
        if form.is_valid():
            codes = two_factor.confirm_enrolment(request, device, form.cleaned_data["token"].strip())
            if codes is not None:
                return TemplateResponse(
                    request, "admin/two_factor.html", {**context, "enrolled": True, "recovery_codes": codes}
                )
            form.add_error("token", "That code did not match. Check the app's clock, then try the newest code.")
        context.update(form=form, qr_code=two_factor.qr_code_svg(device), secret=device_secret(device))
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
    return TemplateResponse(request, settings.AXES_LOCKOUT_TEMPLATE, status=settings.AXES_HTTP_RESPONSE_CODE)


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
