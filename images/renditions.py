"""Library images: resized copies (WebP and JPEG, never wider than the original) for `srcset`.

Everything goes through Django's default storage, so renditions work the same on disk or in a bucket.
Renditions are named after the image, its extension included, so that boat.jpg and boat.png uploaded in the same
month never share (and overwrite) each other's: images/2026/12/boat.jpg -> images/2026/12/renditions/boat-jpg-960.webp.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

# Widths in pixels: a phone column, a desktop column, and a dense screen's desktop column.
WIDTHS = (480, 960, 1600)
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}


def rendition_widths(original_width):
    """The widths made for an image `original_width` pixels wide: no upscaling, so a narrow image keeps its own."""
    return sorted({min(width, original_width) for width in WIDTHS})


def rendition_name(image_name, width, extension):
    stem, original_extension = posixpath.splitext(posixpath.basename(image_name))
    unique_stem = f"{stem}-{original_extension.lstrip('.').lower()}" if original_extension else stem
    return posixpath.join(posixpath.dirname(image_name), "renditions", f"{unique_stem}-{width}.{extension}")


def rendition_names(image_name, original_width):
    return [
        rendition_name(image_name, width, extension)
        for width in rendition_widths(original_width)
        for extension in FORMATS
    ]


def create_renditions(image_name, storage=default_storage):
    """Every rendition of the stored image, saved (or replaced) in storage."""
    with storage.open(image_name, "rb") as stored, Image.open(stored) as image:
        upright = image.convert("RGB")
    upright.info = {}  # No comment or other metadata carried into the renditions.
    for width in rendition_widths(upright.width):
        height = max(1, round(upright.height * width / upright.width))
        resized = upright if width == upright.width else upright.resize((width, height), Image.Resampling.LANCZOS)
        for extension, kind in FORMATS.items():
            output = io.BytesIO()
            resized.save(output, format=kind, quality=82)
            name = rendition_name(image_name, width, extension)
            storage.delete(name)
            storage.save(name, ContentFile(output.getvalue()))


def delete_image_files(image_name, original_width, storage=default_storage):
    """Delete an image that is no longer in the library, with its renditions."""
    for name in [image_name, *rendition_names(image_name, original_width)]:
        storage.delete(name)


def srcset(image_name, original_width, extension, storage=default_storage):
    """The `srcset` value listing every width of one format."""
    return ", ".join(
        f"{storage.url(rendition_name(image_name, width, extension))} {width}w"
        for width in rendition_widths(original_width)
    )


def rendition_url(image_name, original_width, width, extension="jpg", storage=default_storage):
    """The rendition closest above `width` pixels (the largest if none is)."""
    widths = rendition_widths(original_width)
    chosen = next((candidate for candidate in widths if candidate >= width), widths[-1])
    return storage.url(rendition_name(image_name, chosen, extension))
