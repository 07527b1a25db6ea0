"""What an author photo may be: JPEG, PNG or WebP within AUTHOR_PHOTO_MAX_BYTES and AUTHOR_PHOTO_MAX_PIXELS, checked
by the image library's checks (images.validators)."""

from django.conf import settings

from images.validators import STILL_FORMATS, check_dimensions, check_format, check_size


def validate_photo_size(photo):
    """Refuse photos over AUTHOR_PHOTO_MAX_BYTES, naming the limit."""
    check_size(photo, settings.AUTHOR_PHOTO_MAX_BYTES)


def validate_photo_dimensions(photo):
    """Refuse photos larger than AUTHOR_PHOTO_MAX_PIXELS."""
    check_dimensions(photo, settings.AUTHOR_PHOTO_MAX_PIXELS)


def validate_photo_format(photo):
    """Refuse anything but JPEG, PNG or WebP, judged by the file's content (not its name)."""
    check_format(photo, STILL_FORMATS, "Upload the photo as a JPEG, PNG or WebP image.")
