from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import get_image_dimensions
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

# The only formats a photo is decoded as: Pillow opens dozens (EPS through Ghostscript, when installed), each
# one more decoder an upload can reach.
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")


def validate_photo_size(photo):
    """Refuse photos over AUTHOR_PHOTO_MAX_BYTES, naming the limit."""
    limit = settings.AUTHOR_PHOTO_MAX_BYTES
    if photo.size > limit:
        raise ValidationError(
            "The photo is %(size)s; the largest accepted is %(limit)s.",
            code="photo_too_large",
            params={"size": filesizeformat(photo.size), "limit": filesizeformat(limit)},
        )


def validate_photo_dimensions(photo):
    """Refuse photos larger than AUTHOR_PHOTO_MAX_PIXELS (a small file can still decode to a huge image)."""
    width, height = get_image_dimensions(photo)
    if width is None:
        return  # Not an image: the image field itself says so.
    limit = settings.AUTHOR_PHOTO_MAX_PIXELS
    if width * height > limit:
        raise ValidationError(
            "The photo is %(width)s×%(height)s pixels; please upload one of at most %(megapixels)s megapixels.",
            code="photo_too_many_pixels",
            params={"width": width, "height": height, "megapixels": limit // 1_000_000},
        )


def validate_photo_format(photo):
    """Refuse anything but JPEG, PNG or WebP, judged by the file's content (not its name)."""
    photo.seek(0)
    try:
        with Image.open(photo, formats=PHOTO_FORMATS):
            pass
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("Upload the photo as a JPEG, PNG or WebP image.", code="photo_format") from error
    finally:
        photo.seek(0)
