"""The site's imaging: uploads re-encoded without metadata, and resized copies (WebP and JPEG) for `srcset`.

Two kinds of renditions: a library image's keep its shape and are never wider than the original (WIDTHS);
an author photo's are square crops for avatars (SQUARE_WIDTHS).

Everything goes through Django's default storage, so renditions work the same on disk or in a bucket.
Renditions are named after the image, its extension included, so that boat.jpg and boat.png in one folder never
share (and overwrite) each other's: images/2026/12/boat.jpg -> images/2026/12/renditions/boat-jpg-960.webp.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

# Library images, in pixels: a phone column, a desktop column, and a dense screen's desktop column.
WIDTHS = (480, 960, 1600)
# Avatars are shown at 48 to 120 CSS pixels, up to twice that on dense screens.
SQUARE_WIDTHS = (96, 192, 384)
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}


def without_metadata(image_file):
    """The uploaded image re-encoded without metadata (EXIF location and camera, XMP, a JPEG comment segment, PNG
    text) and turned upright. Pillow writes a JPEG's comment back unless told otherwise, so nothing read from the
    file is passed on (its colour profile aside)."""
    image_file.seek(0)
    with Image.open(image_file) as image:
        kind = image.format if image.format in {"JPEG", "PNG", "WEBP"} else "PNG"
        upright = ImageOps.exif_transpose(image)
        if kind == "JPEG" and upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        icc_profile = upright.info.get("icc_profile")
        upright.info = {}
        options = {"quality": 90, **({"icc_profile": icc_profile} if icc_profile else {})}
        if kind == "JPEG":
            options["comment"] = b""
        output = io.BytesIO()
        upright.save(output, format=kind, **options)
    return ContentFile(output.getvalue())


def rendition_widths(original_width):
    """The widths made for a library image `original_width` pixels wide: no upscaling, so a narrow image keeps
    its own."""
    return sorted({min(width, original_width) for width in WIDTHS})


def rendition_name(image_name, width, extension):
    stem, original_extension = posixpath.splitext(posixpath.basename(image_name))
    unique_stem = f"{stem}-{original_extension.lstrip('.').lower()}" if original_extension else stem
    return posixpath.join(posixpath.dirname(image_name), "renditions", f"{unique_stem}-{width}.{extension}")


def create_renditions(image_name, storage=default_storage):
    """Every rendition of the stored library image, saved (or replaced) in storage."""
    with storage.open(image_name, "rb") as stored, Image.open(stored) as image:
        upright = image.convert("RGB")
    upright.info = {}  # No comment or other metadata carried into the renditions.
    resized = {width: _to_width(upright, width) for width in rendition_widths(upright.width)}
    _save_renditions(image_name, resized, storage)


def create_square_renditions(image_name, storage=default_storage):
    """Square crops of the stored photo in every SQUARE_WIDTHS width, saved (or replaced) in storage."""
    with storage.open(image_name, "rb") as stored, Image.open(stored) as image:
        square = ImageOps.fit(image.convert("RGB"), (max(SQUARE_WIDTHS), max(SQUARE_WIDTHS)))
    square.info = {}
    resized = {width: _to_width(square, width) for width in SQUARE_WIDTHS}
    _save_renditions(image_name, resized, storage)


def _to_width(image, width):
    """`image` scaled to `width` pixels wide, its shape kept."""
    if width == image.width:
        return image
    return image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)


def _save_renditions(image_name, images_by_width, storage):
    for width, image in images_by_width.items():
        for extension, kind in FORMATS.items():
            output = io.BytesIO()
            image.save(output, format=kind, quality=82)
            name = rendition_name(image_name, width, extension)
            storage.delete(name)
            storage.save(name, ContentFile(output.getvalue()))


def delete_image_files(image_name, widths, storage=default_storage):
    """Delete an image that is no longer used, with its renditions in `widths`."""
    for name in [image_name, *(rendition_name(image_name, width, ext) for width in widths for ext in FORMATS)]:
        storage.delete(name)


def srcset(image_name, widths, extension, storage=default_storage):
    """The `srcset` value listing the renditions in `widths` of one format."""
    return ", ".join(f"{storage.url(rendition_name(image_name, width, extension))} {width}w" for width in widths)


def rendition_url(image_name, widths, width, extension="jpg", storage=default_storage):
    """The rendition among `widths` closest above `width` pixels (the largest if none is)."""
    chosen = next((candidate for candidate in sorted(widths) if candidate >= width), max(widths))
    return storage.url(rendition_name(image_name, chosen, extension))
