"""What the library accepts: the author photo's checks (authors.validators), and GIF as well, animated or not."""

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

# The only formats a library image is decoded as (see authors.validators.PHOTO_FORMATS for why so few).
LIBRARY_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_FRAMES = 300


def validate_image_format(image_file):
    """Refuse anything but JPEG, PNG, WebP or GIF, judged by the file's content; and an animation whose frames
    together decode to more than ten times AUTHOR_PHOTO_MAX_PIXELS (a small GIF can hold thousands of frames)."""
    image_file.seek(0)
    try:
        with Image.open(image_file, formats=LIBRARY_FORMATS) as image:
            frames = getattr(image, "n_frames", 1)
            pixels = image.width * image.height * frames
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise ValidationError("Upload the image as a JPEG, PNG, WebP or GIF.", code="photo_format") from error
    finally:
        image_file.seek(0)
    if frames > MAX_FRAMES or pixels > 10 * settings.AUTHOR_PHOTO_MAX_PIXELS:
        raise ValidationError(
            "The animation has %(frames)s frames of %(width)s×%(height)s pixels: too many to show; shorten it.",
            code="too_many_frames",
            params={"frames": frames, "width": image.width, "height": image.height},
        )
