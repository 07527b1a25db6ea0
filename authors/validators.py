from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_photo_size(photo):
    """Refuse photos over AUTHOR_PHOTO_MAX_BYTES, naming the limit."""
    limit = settings.AUTHOR_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(
            "The photo is %(size)s; the largest accepted is %(limit)s.",
            code="photo_too_large",
            params={"size": filesizeformat(photo.size), "limit": filesizeformat(limit)},
        )
