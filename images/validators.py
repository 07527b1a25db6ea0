"""What an upload may be: a few formats, judged by the file's content, within a size in bytes and in pixels.

The library's own validators apply its limits (IMAGE_LIBRARY_MAX_BYTES, IMAGE_LIBRARY_MAX_PIXELS); authors.validators
calls the same checks with the author photo's.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import get_image_dimensions
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

# The only formats an upload is decoded as: Pillow opens dozens (EPS through Ghostscript, when installed), each
# one more decoder an upload can reach.
STILL_FORMATS = ("JPEG", "PNG", "WEBP")
LIBRARY_FORMATS = (*STILL_FORMATS, "GIF")
MAX_FRAMES = 300


def check_size(image_file, limit):
    """Refuse a file over `limit` bytes, naming the limit."""
    if image_file.size > limit:
        raise ValidationError(
            "The photo is %(size)s; the largest accepted is %(limit)s.",
            code="photo_too_large",
            params={"size": filesizeformat(image_file.size), "limit": filesizeformat(limit)},
        )


def check_dimensions(image_file, limit):
    """Refuse an image of more than `limit` pixels (a small file can still decode to a huge image)."""
    width, height = get_image_dimensions(image_file)
    if width is None:
        return  # Not an image: the image field itself says so.
    if width * height > limit:
        raise ValidationError(
            "The photo is %(width)s×%(height)s pixels; please upload one of at most %(megapixels)s megapixels.",
            code="photo_too_many_pixels",
            params={"width": width, "height": height, "megapixels": limit // 1_000_000},
        )


def check_format(image_file, formats, message):
    """Refuse a file that does not decode as one of `formats`, with `message`; else its (frames, width, height)."""
    image_file.seek(0)
    try:
        with Image.open(image_file, formats=formats) as image:
            return getattr(image, "n_frames", 1), image.width, image.height
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError(message, code="photo_format") from error
    finally:
        image_file.seek(0)


def validate_image_size(image_file):
    """Refuse library images over IMAGE_LIBRARY_MAX_BYTES."""
    check_size(image_file, settings.IMAGE_LIBRARY_MAX_BYTES)


def validate_image_dimensions(image_file):
    """Refuse library images over IMAGE_LIBRARY_MAX_PIXELS."""
    check_dimensions(image_file, settings.IMAGE_LIBRARY_MAX_PIXELS)


def validate_image_format(image_file):
    """Refuse anything but JPEG, PNG, WebP or GIF; and an animation whose frames together decode to more than ten
    times IMAGE_LIBRARY_MAX_PIXELS (a small GIF can hold thousands of frames)."""
    frames, width, height = check_format(image_file, LIBRARY_FORMATS, "Upload the image as a JPEG, PNG, WebP or GIF.")
    if frames > MAX_FRAMES or width * height * frames > 10 * settings.IMAGE_LIBRARY_MAX_PIXELS:
        raise ValidationError(
            "The animation has %(frames)s frames of %(width)s×%(height)s pixels: too many to show; shorten it.",
            code="too_many_frames",
            params={"frames": frames, "width": width, "height": height},
        )
