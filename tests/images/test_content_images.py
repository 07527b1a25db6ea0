"""The image library: uploads with alt text, EXIF stripped, renditions (never upscaled), inline references
rendered as <figure> with srcset, featured images on pages, listings, og:image and JSON-LD, and images in use
that cannot be deleted."""

import io
import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from blog.markup import render_markdown
from images.models import Image
from images.renditions import rendition_name, rendition_widths
from tests.factories import ArticleFactory, ImageFactory
from tests.forms import form_data
from tests.image_files import (
    BLUE,
    CAMERA_MAKE,
    RED,
    image_bytes,
    jpeg_with_exif,
    png_bytes,
    stored_bytes,
    stored_colour,
)

pytestmark = pytest.mark.django_db


def upload(editor_client, **fields):
    data = form_data(editor_client.get(reverse("admin:images_image_add")), "image_form")
    data.update(fields)
    data.setdefault("file", SimpleUploadedFile("market.jpg", jpeg_with_exif((1200, 800)), content_type="image/jpeg"))
    return editor_client.post(reverse("admin:images_image_add"), data)


def test_editor_uploads_an_image_with_alt_text(editor_client):
    response = upload(editor_client, alt_text="A phone stall in Lahore", caption="Stalls", credit="Photo: J. Doe")

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.alt_text, image.width, image.height) == ("A phone stall in Lahore", 1200, 800)


def test_an_image_without_alt_text_is_refused_with_the_file_field_named(editor_client):
    response = upload(editor_client, alt_text="")

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Image.objects.exists()


def test_uploaded_image_is_stored_without_exif(editor_client):
    upload(editor_client, alt_text="Market")

    with default_storage.open(Image.objects.get().file.name) as stored, PILImage.open(stored) as image:
        assert CAMERA_MAKE not in image.getexif()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("notes.txt", b"not an image", "Upload a valid image"),
        ("market.bmp", None, "File extension “bmp” is not allowed"),
    ],
)
def test_bad_files_are_refused_with_a_reason(editor_client, name, content, message):
    if content is None:
        output = io.BytesIO()
        PILImage.new("RGB", (20, 20)).save(output, format="BMP")
        content = output.getvalue()
    response = upload(editor_client, alt_text="Market", file=SimpleUploadedFile(name, content))

    assert message in response.content.decode()
    assert not Image.objects.exists()


def test_an_animated_gif_is_kept_as_it_was_uploaded(editor_client):
    output = io.BytesIO()
    frames = [PILImage.new("RGB", (20, 20), colour) for colour in ("red", "blue")]
    frames[0].save(output, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    upload(editor_client, alt_text="Blinking", file=SimpleUploadedFile("blink.gif", output.getvalue()))

    image = Image.objects.get()
    with default_storage.open(image.file.name) as stored:
        assert stored.read() == output.getvalue()


def test_images_over_the_pixel_limit_are_refused(editor_client, settings):
    settings.IMAGE_LIBRARY_MAX_PIXELS = 1000 * 700

    response = upload(editor_client, alt_text="Market")

    assert "please upload one of at most" in response.content.decode()


def test_images_over_the_library_size_limit_are_refused_with_the_limit(editor_client, settings):
    settings.IMAGE_LIBRARY_MAX_BYTES = 10 * 1024

    response = upload(
        editor_client, alt_text="Market", file=SimpleUploadedFile("noisy.png", png_bytes((600, 400), noise=True))
    )

    assert "the largest accepted is 10.0\xa0KB" in response.content.decode()
    assert not Image.objects.exists()


def test_the_author_photo_limits_leave_the_library_alone(editor_client, settings):
    settings.AUTHOR_PHOTO_MAX_BYTES = 10 * 1024
    settings.AUTHOR_PHOTO_MAX_PIXELS = 200_000

    response = upload(
        editor_client, alt_text="Market", file=SimpleUploadedFile("noisy.png", png_bytes((600, 400), noise=True))
    )

    assert response.status_code == 302
    assert Image.objects.get().width == 600


def test_renditions_are_made_in_every_width_and_format_without_upscaling():
    image = ImageFactory(file__width=1200, file__height=600)

    assert rendition_widths(image.width) == [480, 960, 1200]
    for width in (480, 960, 1200):
        for extension in ("webp", "jpg"):
            with default_storage.open(rendition_name(image.file.name, width, extension)) as stored:
                assert PILImage.open(stored).size == (width, width // 2)
    assert not default_storage.exists(rendition_name(image.file.name, 1600, "jpg"))


def test_inline_reference_renders_a_figure_with_srcset_sizes_and_dimensions(client):
    image = ImageFactory(alt_text="Phone stall", caption="Shoppers & sellers", credit="Photo: J. Doe")
    article = ArticleFactory(body=f"Before.\n\n{image.reference()}\n\nAfter.")

    content = client.get(article.get_absolute_url()).content.decode()
    figure = re.search(r"<figure class=\"figure\">.*?</figure>", content).group(0)

    assert '<source type="image/webp" srcset="/media/' in figure
    assert " 480w, " in figure
    assert " 1600w" in figure
    assert 'sizes="(min-width: 42rem) 39.5rem, calc(100vw - 2.5rem)"' in figure
    assert 'width="2000" height="1000" alt="Phone stall" loading="lazy"' in figure
    assert '<figcaption>Shoppers &amp; sellers — <span class="credit">Photo: J. Doe</span></figcaption>' in figure
    assert list(article.inline_images.all()) == [image]


def test_unknown_reference_renders_nothing_visible():
    article = ArticleFactory(body="Before.\n\n[image:987654]\n\nAfter.")

    assert article.body_html == "<p>Before.</p>\n\n<p>After.</p>"


def test_admin_refuses_an_unknown_image_reference_and_keeps_the_text(editor_client, site_content):
    url = reverse("admin:blog_article_change", args=[site_content.pk])
    data = form_data(editor_client.get(url), "article_form")
    data["body"] = "New text.\n\n[image:987654]"

    response = editor_client.post(url, data)

    content = response.content.decode()
    assert "No image [image:987654] in the library" in content
    assert "New text." in content
    site_content.refresh_from_db()
    assert "[image:987654]" not in site_content.body


def test_reference_inside_code_is_left_as_text():
    image = ImageFactory()
    article = ArticleFactory(body=f"    {image.reference()}")

    assert "<figure" not in article.body_html


def test_sanitiser_keeps_only_this_sites_media_images(settings):
    settings.MEDIA_ORIGINS = ["https://media.example.net"]

    html = render_markdown(
        "![ours](/media/images/a.jpg) ![bucket](https://media.example.net/images/b.jpg) "
        "![theirs](https://tracker.example.com/pixel.gif) ![sneaky](//tracker.example.com/media/c.jpg)"
    )

    assert 'src="/media/images/a.jpg"' in html
    assert 'src="https://media.example.net/images/b.jpg"' in html
    assert "tracker.example.com" not in html


def test_changing_an_images_alt_text_rerenders_the_articles_that_show_it():
    image = ImageFactory(alt_text="Old words")
    article = ArticleFactory(body=image.reference())
    image.alt_text = "New words"
    image.save()

    article.refresh_from_db()
    assert 'alt="New words"' in article.body_html


def test_featured_image_is_shown_on_the_article_page_and_in_listings(client):
    image = ImageFactory(alt_text="Featured view")
    article = ArticleFactory(featured_image=image)

    page = client.get(article.get_absolute_url()).content.decode()
    home = client.get(reverse("blog:home")).content.decode()

    assert 'alt="Featured view" fetchpriority="high"' in page
    assert image.webp_srcset() in home


def test_featured_image_is_og_image_and_in_json_ld(client):
    image = ImageFactory()
    article = ArticleFactory(featured_image=image)

    content = client.get(article.get_absolute_url()).content.decode()
    json_ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', content).group(1))

    assert re.search(r'og:image" content="([^"]+)"', content).group(1).endswith(image.largest_url())
    assert '<meta property="og:image:type" content="image/jpeg">' in content
    assert '<meta property="og:image:width" content="1600">' in content
    assert '<meta property="og:image:height" content="800">' in content
    assert json_ld["image"][0].endswith(image.largest_url())


def test_without_featured_image_the_social_card_stays(client):
    article = ArticleFactory()

    content = client.get(article.get_absolute_url()).content.decode()

    assert article.get_social_card_url() in re.search(r'og:image" content="([^"]+)"', content).group(1)


@pytest.mark.usefixtures("every_request_rendered")
def test_featured_image_in_listings_costs_no_query_per_article(client, django_assert_num_queries):
    ArticleFactory(featured_image=ImageFactory())
    client.get(reverse("blog:home"))
    # The count for the pages; the articles with their authors and featured images; the sections; the footer's
    # pages (the Site is cached).
    with django_assert_num_queries(4) as one:
        client.get(reverse("blog:home"))

    for _ in range(4):
        ArticleFactory(featured_image=ImageFactory())
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("blog:home"))


@pytest.mark.parametrize("use", ["featured", "inline"])
def test_deleting_an_image_in_use_is_refused_listing_the_articles(editor_client, use):
    image = ImageFactory()
    article = ArticleFactory(title="The ban story", **({"featured_image": image} if use == "featured" else {}))
    if use == "inline":
        article.body = image.reference()
        article.save()

    url = reverse("admin:images_image_delete", args=[image.pk])
    page = editor_client.get(url).content.decode()
    editor_client.post(url, {"post": "yes"})

    assert "would require deleting the following protected related objects" in page
    assert "The ban story" in page
    assert Image.objects.filter(pk=image.pk).exists()


def test_an_unused_image_is_deleted_with_its_files(editor_client, django_capture_on_commit_callbacks):
    image = ImageFactory()
    name = image.file.name

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:images_image_delete", args=[image.pk]), {"post": "yes"})

    assert not Image.objects.exists()
    assert not default_storage.exists(name)
    assert not default_storage.exists(rendition_name(name, 480, "webp"))


def test_image_picker_searches_the_library_from_the_article_form(editor_client):
    ImageFactory(alt_text="Phone stall in Lahore")
    ImageFactory(alt_text="A mountain road", caption="")

    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "stall", "app_label": "blog", "model_name": "article", "field_name": "featured_image"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Phone stall in Lahore"]


def test_article_form_has_the_image_picker(editor_client, site_content):
    content = editor_client.get(reverse("admin:blog_article_change", args=[site_content.pk])).content.decode()

    assert 'id="id_insert_image"' in content
    assert "blog/admin/image_picker" in content


def test_alt_text_is_required_by_the_model():
    with pytest.raises(ValidationError):
        Image(alt_text="").full_clean(exclude=["file"])


def test_a_jpeg_comment_segment_does_not_survive_the_upload(editor_client):
    photo = image_bytes((600, 400), comment=b"Taken at 12 Secret Street")
    file = SimpleUploadedFile("street.jpg", photo, content_type="image/jpeg")

    assert upload(editor_client, alt_text="A street", file=file).status_code == 302

    image = Image.objects.get()
    names = [image.file.name] + [rendition_name(image.file.name, 600, extension) for extension in ("jpg", "webp")]
    for name in names:
        assert b"Secret Street" not in stored_bytes(name)


def test_boat_jpg_and_boat_png_of_one_month_keep_renditions_of_their_own(editor_client):
    jpeg, png = image_bytes((600, 400), RED), image_bytes((600, 400), BLUE, "PNG")
    upload(editor_client, alt_text="Red boat", file=SimpleUploadedFile("boat.jpg", jpeg, "image/jpeg"))
    upload(editor_client, alt_text="Blue boat", file=SimpleUploadedFile("boat.png", png, "image/png"))

    red, blue = Image.objects.get(alt_text="Red boat"), Image.objects.get(alt_text="Blue boat")
    assert rendition_name(red.file.name, 600, "webp") != rendition_name(blue.file.name, 600, "webp")
    red_rgb = stored_colour(rendition_name(red.file.name, 600, "jpg"))
    blue_rgb = stored_colour(rendition_name(blue.file.name, 600, "jpg"))
    assert red_rgb[0] > red_rgb[2]
    assert blue_rgb[2] > blue_rgb[0]
