import io
import random

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# EXIF tags a phone camera writes: its maker, and (in an IFD of their own) where the photo was taken.
CAMERA_MAKE = 0x010F
GPS_IFD = 0x8825
RED, BLUE = (200, 30, 30), (30, 30, 200)


def png_upload(name="photo.png", size=(400, 400), colour=(30, 90, 200)):
    """A real PNG file, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg_with_exif(size=(800, 600)):
    """A JPEG's bytes with the EXIF a phone camera writes: its maker and where the photo was taken."""
    image = Image.new("RGB", size, "#3366cc")
    exif = Image.Exif()
    exif[CAMERA_MAKE] = "Phone Maker"
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0)}
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif)
    return output.getvalue()


def png_bytes(size, noise=False):
    """A PNG's bytes: black, or noise, which does not compress (a big file: about 720 kB at 600 x 400)."""
    pixels = random.Random(5).randbytes(size[0] * size[1] * 3)
    image = Image.frombytes("RGB", size, pixels) if noise else Image.new("RGB", size)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def image_bytes(size, colour="#3366cc", format="JPEG", **options):
    """An image file's bytes, all one colour, in Pillow's `format` with its save `options` (e.g. comment=b"…")."""
    output = io.BytesIO()
    Image.new("RGB", size, colour).save(output, format=format, **options)
    return output.getvalue()


def stored_bytes(name):
    with default_storage.open(name) as stored:
        return stored.read()


def stored_colour(name):
    """The colour at (10, 10) of the stored image `name`: which of two uploads a rendition was made from."""
    with default_storage.open(name) as stored, Image.open(stored) as image:
        return image.convert("RGB").getpixel((10, 10))
