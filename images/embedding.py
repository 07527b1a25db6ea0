"""Library images inside Markdown bodies: `[image:42]` on a line of its own becomes a <figure>.

The reference is replaced after the body is sanitised, with HTML from a template (autoescaped), so
editors never write image URLs or markup, and the sanitiser keeps refusing anything but plain text.
"""

import re

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# A reference on a line of its own, as Markdown renders it: a paragraph holding only the reference.
REFERENCE_IN_HTML = re.compile(r"<p>\[image:(\d{1,18})\]</p>")
REFERENCE_IN_MARKDOWN = re.compile(r"^\s{0,3}\[image:(\d{1,18})\]\s*$", re.MULTILINE)


def referenced_ids(markdown_text):
    """The ids of the images a Markdown body refers to, in order of first use."""
    return list(dict.fromkeys(int(found) for found in REFERENCE_IN_MARKDOWN.findall(markdown_text)))


def embed_images(html):
    """`html` with each image reference replaced by its figure; unknown ids leave nothing behind.

    Returns the HTML and the images used (for usage tracking).
    """
    from .models import Image

    ids = {int(found) for found in REFERENCE_IN_HTML.findall(html)}
    if not ids:
        return html, []
    images = Image.objects.in_bulk(ids)

    def figure(match):
        image = images.get(int(match.group(1)))
        return render_to_string("images/figure.html", {"image": image}).strip() if image else ""

    return REFERENCE_IN_HTML.sub(figure, html), sorted(images.values(), key=lambda image: image.pk)


def validate_image_references(markdown_text):
    """Refuse a body that refers to images not in the library, naming them."""
    from .models import Image

    ids = referenced_ids(markdown_text)
    if not ids:
        return
    missing = sorted(set(ids) - set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        raise ValidationError(
            _("No image %(ids)s in the library: pick images with “Insert image”, or remove the reference.")
            % {"ids": ", ".join(f"[image:{pk}]" for pk in missing)},
            code="unknown_image",
        )
