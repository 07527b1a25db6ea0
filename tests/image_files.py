import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_upload(name="photo.png", size=(400, 400), colour=(30, 90, 200)):
    """A real PNG file, as a browser would upload it."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
