"""Author photos: EXIF stripped on upload, and resized copies (WebP plus JPEG) for `srcset`.

Everything goes through Django's default storage, so photos work the same on disk or in a bucket.
Renditions are named after the photo, e.g. authors/jane.jpg -> authors/renditions/jane-192.webp.
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

# Widths in pixels: avatars are shown at 48 to 120 CSS pixels, up to twice that on dense screens.
WIDTHS = (96, 192, 384)
FORMATS = {"webp": "WEBP", "jpg": "JPEG"}


def without_metadata(image_file):
    """The uploaded photo re-encoded without metadata (EXIF location and camera, XMP, a JPEG comment segment, PNG
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


def rendition_name(photo_name, width, extension):
    stem = posixpath.splitext(posixpath.basename(photo_name))[0]
    return posixpath.join(posixpath.dirname(photo_name), "renditions", f"{stem}-{width}.{extension}")


def create_renditions(photo_name, storage=default_storage):
    """Square crops of the stored photo in every width, as WebP and JPEG, saved (or replaced) in storage."""
    with storage.open(photo_name, "rb") as stored, Image.open(stored) as image:
        square = ImageOps.fit(image.convert("RGB"), (max(WIDTHS), max(WIDTHS)))
    for width in WIDTHS:
        resized = square.resize((width, width), Image.Resampling.LANCZOS)
        for extension, kind in FORMATS.items():
            output = io.BytesIO()
            resized.save(output, format=kind, quality=82)
            name = rendition_name(photo_name, width, extension)
            storage.delete(name)
            storage.save(name, ContentFile(output.getvalue()))


def delete_photo_files(photo_name, storage=default_storage):
    """Delete a photo that is no longer used, with its renditions."""
    names = [photo_name] + [rendition_name(photo_name, width, ext) for width in WIDTHS for ext in FORMATS]
    for name in names:
        storage.delete(name)


def srcset(photo_name, extension, storage=default_storage):
    """The `srcset` value listing every width of one format."""
    return ", ".join(f"{storage.url(rendition_name(photo_name, width, extension))} {width}w" for width in WIDTHS)


def fallback_url(photo_name, size, storage=default_storage):
    """The JPEG rendition closest above `size` pixels, for browsers without srcset."""
    width = next((width for width in WIDTHS if width >= size), WIDTHS[-1])
    return storage.url(rendition_name(photo_name, width, "jpg"))
