"""Uploaded media goes through Django's storage API: S3-compatible object storage when configured."""

import html
import re
import urllib.request

import boto3
import pytest
from django.urls import reverse

from authors.models import Author
from tests.factories import AuthorFactory
from tests.forms import form_data
from tests.image_files import png_upload
from tests.s3 import s3_bucket

pytestmark = pytest.mark.django_db


@pytest.fixture
def s3_media(settings, monkeypatch):
    with s3_bucket() as env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": env["AWS_STORAGE_BUCKET_NAME"],
                    "endpoint_url": env["AWS_S3_ENDPOINT_URL"],
                    "file_overwrite": False,
                },
            },
        }
        yield env


def test_author_photo_uploaded_through_the_admin_is_stored_in_object_storage(editor_client, s3_media):
    author = AuthorFactory(name="Photo Person")
    change_url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(editor_client.get(change_url), "author_form")
    data["photo"] = png_upload()

    response = editor_client.post(change_url, data)

    assert response.status_code == 302
    photo_name = Author.objects.get(pk=author.pk).photo.name
    bucket = boto3.resource("s3", endpoint_url=s3_media["AWS_S3_ENDPOINT_URL"]).Bucket("blog-media")
    assert photo_name in {item.key for item in bucket.objects.all()}


def test_author_page_shows_the_photo_from_object_storage(
    client, editor_client, s3_media, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Photo Person")
    change_url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(editor_client.get(change_url), "author_form")
    data["photo"] = png_upload()
    with django_capture_on_commit_callbacks(execute=True):  # Renditions are made once the upload is saved.
        editor_client.post(change_url, data)

    page = client.get(author.get_absolute_url()).content.decode()

    image_url = html.unescape(re.search(r'<img class="avatar" src="([^"]+)"', page).group(1))
    assert image_url.startswith(s3_media["AWS_S3_ENDPOINT_URL"] + "/blog-media/")
    with urllib.request.urlopen(image_url, timeout=10) as response:
        assert response.headers["Content-Type"].startswith("image/")
        assert len(response.read()) > 100
