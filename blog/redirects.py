"""Old addresses keep working: when an object's public path changes, django.contrib.redirects answers the old
one with a 301 to the new one (RedirectFallbackMiddleware, looked up only on a 404).

Chains are flattened as they form: redirects that led to the old path now lead straight to the new one,
and a redirect from the new path (the object took back an old address) is dropped, as it would loop.
"""

from django import forms
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _


def path_changed(old_path, new_path):
    """Redirect `old_path` (and whatever led to it) to `new_path`."""
    if not old_path or not new_path or old_path == new_path:
        return
    site_redirects = Redirect.objects.filter(site_id=settings.SITE_ID)
    site_redirects.filter(new_path=old_path).update(new_path=new_path)
    site_redirects.filter(old_path=new_path).delete()
    Redirect.objects.update_or_create(site_id=settings.SITE_ID, old_path=old_path, defaults={"new_path": new_path})


def redirect_from(path):
    """The redirect readers following `path` get, if any."""
    return Redirect.objects.filter(site_id=settings.SITE_ID, old_path=path).first()


def stored_public_path(instance):
    """The path readers see the saved `instance` at (None if new, or not public)."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return None
    return stored.stored_public_path() if hasattr(stored, "stored_public_path") else stored.public_path()


def remember_public_path(sender, instance, raw=False, **kwargs):
    if not raw:
        instance._stored_public_path = stored_public_path(instance)


def redirect_changed_path(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old_path, new_path = getattr(instance, "_stored_public_path", None), instance.public_path()
    if old_path and new_path is None:
        # Unpublished: redirects to it go too, or their Location would show readers where the draft is.
        Redirect.objects.filter(site_id=settings.SITE_ID, new_path=old_path).delete()
    path_changed(old_path, new_path)


def follow_path_changes(model):
    """Connect `model` (with a public_path() method): each save that moves it leaves a redirect behind."""
    uid = f"redirects-{model._meta.label_lower}"
    pre_save.connect(remember_public_path, sender=model, dispatch_uid=uid)
    post_save.connect(redirect_changed_path, sender=model, dispatch_uid=uid)


class RedirectedPathFormMixin(forms.Form):
    """Admin forms: a new address that is still redirected elsewhere is refused unless the editor confirms,
    and then the redirect is deleted (the object takes the address over)."""

    replace_redirect = forms.BooleanField(
        label=_("Take over a redirected address"),
        required=False,
        help_text=_(
            "Only when the slug is refused because its address redirects readers elsewhere: tick to end that "
            "redirect and use the address for this."
        ),
    )
    redirect_error_field = "slug"

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        new_path = self.instance.public_path()
        if not new_path or new_path == stored_public_path(self.instance):
            return
        redirect = redirect_from(new_path)
        if redirect is None or redirect.new_path == stored_public_path(self.instance):
            return  # None, or one that leads back here: saving drops it.
        if self.cleaned_data.get("replace_redirect"):
            self.redirect_to_replace = redirect
            return
        self.add_error(
            self.redirect_error_field,
            _(
                "The address %(old)s still redirects readers to %(new)s (it was changed). Choose another slug, "
                "or tick “Take over a redirected address” below to end that redirect."
            )
            % {"old": redirect.old_path, "new": redirect.new_path},
        )
        # Also beside the box, so that its collapsed fieldset opens.
        self.add_error("replace_redirect", _("Tick to end the redirect and use %(old)s here.") % {"old": new_path})

    def save(self, commit=True):
        redirect = getattr(self, "redirect_to_replace", None)
        if redirect is not None:
            Redirect.objects.filter(pk=redirect.pk).delete()
        return super().save(commit=commit)
