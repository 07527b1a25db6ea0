"""Author photos uploaded in the admin: EXIF stripped, resized renditions served with srcset, bad files refused."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from authors.models import Author
from images.renditions import SQUARE_WIDTHS, rendition_name
from tests.factories import AuthorFactory
from tests.forms import form_data
from tests.image_files import BLUE, RED, image_bytes, jpeg_with_exif, png_bytes, stored_bytes, stored_colour

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload_photo(editor_client, author, name, content, content_type="image/jpeg"):
    """Submit the admin change form as a browser would, with a photo chosen."""
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(editor_client.get(url), "author_form")
    data["photo"] = SimpleUploadedFile(name, content, content_type=content_type)
    return editor_client.post(url, data)


def test_uploaded_photo_is_stored_without_exif(editor_client):
    author = AuthorFactory()

    response = upload_photo(editor_client, author, "portrait.jpg", jpeg_with_exif())

    assert response.status_code == 302
    author.refresh_from_db()
    with default_storage.open(author.photo.name) as stored, Image.open(stored) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (800, 600)


def test_uploaded_photo_gets_webp_and_jpeg_renditions_in_every_width(editor_client):
    author = AuthorFactory()

    upload_photo(editor_client, author, "portrait.jpg", jpeg_with_exif())

    author.refresh_from_db()
    for width in SQUARE_WIDTHS:
        for extension, kind in [("webp", "WEBP"), ("jpg", "JPEG")]:
            with default_storage.open(rendition_name(author.photo.name, width, extension)) as stored:
                image = Image.open(stored)
                assert (image.format, image.size, dict(image.getexif())) == (kind, (width, width), {})


def test_author_page_serves_the_photo_with_srcset(client, editor_client):
    author = AuthorFactory()
    upload_photo(editor_client, author, "portrait.jpg", jpeg_with_exif())
    author.refresh_from_db()

    content = client.get(author.get_absolute_url()).content.decode()

    webp = ", ".join(
        f"{default_storage.url(rendition_name(author.photo.name, width, 'webp'))} {width}w" for width in SQUARE_WIDTHS
    )
    assert f'<source type="image/webp" srcset="{webp}" sizes="120px">' in content
    assert f'src="{default_storage.url(rendition_name(author.photo.name, 192, "jpg"))}"' in content


def test_replacing_a_photo_deletes_the_old_one_and_its_renditions(editor_client, django_capture_on_commit_callbacks):
    author = AuthorFactory()
    upload_photo(editor_client, author, "first.jpg", jpeg_with_exif())
    author.refresh_from_db()
    old_names = [author.photo.name, rendition_name(author.photo.name, 96, "webp")]

    with django_capture_on_commit_callbacks(execute=True):
        upload_photo(editor_client, author, "second.jpg", jpeg_with_exif())

    author.refresh_from_db()
    assert [default_storage.exists(name) for name in old_names] == [False, False]
    assert default_storage.exists(rendition_name(author.photo.name, 96, "webp"))


def test_non_image_upload_is_refused_next_to_the_field(editor_client):
    author = AuthorFactory(name="Keeps Her Name")

    response = upload_photo(editor_client, author, "portrait.jpg", b"%PDF-1.4 not an image")

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["photo"] == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert 'value="Keeps Her Name"' in response.content.decode()
    assert not Author.objects.get(pk=author.pk).photo


def test_photo_with_too_many_pixels_is_refused_with_the_limit(editor_client, settings):
    settings.AUTHOR_PHOTO_MAX_PIXELS = 4_000_000
    author = AuthorFactory()

    response = upload_photo(editor_client, author, "huge.png", png_bytes((2500, 2000)), "image/png")

    assert response.context["adminform"].form.errors["photo"] == [
        "The photo is 2500×2000 pixels; please upload one of at most 4 megapixels."
    ]


def test_photo_over_the_size_limit_is_refused_with_the_limit(editor_client, settings):
    settings.AUTHOR_PHOTO_MAX_BYTES = 100 * 1024
    author = AuthorFactory()

    response = upload_photo(editor_client, author, "noisy.png", png_bytes((300, 300), noise=True), "image/png")

    assert response.context["adminform"].form.errors["photo"] == [
        "The photo is 264.4\xa0KB; the largest accepted is 100.0\xa0KB."
    ]


@pytest.mark.parametrize("pillow_format", ["GIF", "BMP", "TIFF"])
def test_a_photo_in_another_format_named_as_a_jpeg_is_refused_next_to_the_field(editor_client, pillow_format):
    """Only JPEG, PNG and WebP are decoded, whatever the file's name says (EPS would reach Ghostscript)."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(buffer, pillow_format)
    author = AuthorFactory()

    response = upload_photo(editor_client, author, "photo.jpg", buffer.getvalue())

    assert response.context["adminform"].form.errors["photo"] == ["Upload the photo as a JPEG, PNG or WebP image."]
    assert not Author.objects.get(pk=author.pk).photo


def test_an_eps_named_as_a_png_is_refused_unread(editor_client):
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n"
    author = AuthorFactory()

    response = upload_photo(editor_client, author, "photo.png", eps, "image/png")

    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Author.objects.get(pk=author.pk).photo


def test_a_jpeg_comment_segment_does_not_survive_the_upload(editor_client):
    author = AuthorFactory()

    upload_photo(editor_client, author, "portrait.jpg", image_bytes((300, 300), comment=b"Taken at 12 Secret Street"))

    author.refresh_from_db()
    names = [author.photo.name] + [rendition_name(author.photo.name, 96, extension) for extension in ("jpg", "webp")]
    for name in names:
        assert b"Secret Street" not in stored_bytes(name)


def test_jane_jpg_and_jane_png_keep_renditions_of_their_own(editor_client):
    red, blue = AuthorFactory(), AuthorFactory()
    upload_photo(editor_client, red, "jane.jpg", image_bytes((200, 200), RED))
    upload_photo(editor_client, blue, "jane.png", image_bytes((200, 200), BLUE, "PNG"), "image/png")

    red.refresh_from_db()
    blue.refresh_from_db()
    assert rendition_name(red.photo.name, 96, "webp") != rendition_name(blue.photo.name, 96, "webp")
    red_rgb = stored_colour(rendition_name(red.photo.name, 96, "jpg"))
    blue_rgb = stored_colour(rendition_name(blue.photo.name, 96, "jpg"))
    assert red_rgb[0] > red_rgb[2]
    assert blue_rgb[2] > blue_rgb[0]


def test_the_migration_makes_renditions_under_the_new_names_for_photos_stored_before():
    """authors 0004: a photo uploaded before renditions were named with its extension gets them, the old ones kept."""
    migration = importlib.import_module("authors.migrations.0004_photo_renditions_named_with_extension")
    name = default_storage.save("authors/jane.jpg", ContentFile(jpeg_with_exif()))
    old_rendition = default_storage.save("authors/renditions/jane-96.webp", ContentFile(b"an old rendition"))
    author = AuthorFactory()
    Author.objects.filter(pk=author.pk).update(photo=name)

    migration.make_renditions(apps, None)

    for width in SQUARE_WIDTHS:
        with default_storage.open(rendition_name(name, width, "webp")) as stored:
            assert Image.open(stored).size == (width, width)
    assert default_storage.exists(old_rendition)
