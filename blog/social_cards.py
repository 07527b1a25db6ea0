"""Social card images (og:image): a 1200x630 PNG per article, drawn with Pillow and kept in media storage.

A card's file name carries a hash of what is drawn on it, so a card is drawn again only when its title,
author, date or the site's name changes; until then every request reuses the stored file.
"""

import hashlib
import io
import re

from django.contrib.sites.shortcuts import get_current_site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from .dates import display_date
from .models import Article

CARD_FOLDER = "social-cards"
CARD_SIZE = (1200, 630)
MARGIN = 80
BACKGROUND = "#0f2a5c"
ACCENT = "#f59e0b"
TEXT = "#ffffff"
MUTED = "#d6e2ff"
TITLE_SIZE = 64
TITLE_MAX_LINES = 4


def card_lines(article, site_name):
    """What the card says: (site name, title, "By author · date")."""
    date = display_date(article.published_at)
    return site_name, article.title, f"By {article.author.name} · {date}"


def card_name(article, site_name):
    digest = hashlib.sha256("\n".join(card_lines(article, site_name)).encode()).hexdigest()[:16]
    return f"{CARD_FOLDER}/{article.slug}-{digest}.png"


def wrap(text, font, width, max_lines):
    """Split `text` into lines no wider than `width`, ending with "…" when it does not fit in `max_lines`."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        while lines[-1] and font.getlength(lines[-1] + "…") > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def draw_card(article, site_name):
    """The card as PNG bytes."""
    site, title, byline = card_lines(article, site_name)
    image = Image.new("RGB", CARD_SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    text_width = CARD_SIZE[0] - 2 * MARGIN
    draw.rectangle([0, 0, 16, CARD_SIZE[1]], fill=ACCENT)
    draw.text((MARGIN, MARGIN - 10), site, font=ImageFont.load_default(size=36), fill=ACCENT)
    title_font = ImageFont.load_default(size=TITLE_SIZE)
    y = 170
    for line in wrap(title, title_font, text_width, TITLE_MAX_LINES):
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += int(TITLE_SIZE * 1.2)
    draw.text((MARGIN, CARD_SIZE[1] - MARGIN - 30), byline, font=ImageFont.load_default(size=34), fill=MUTED)
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def social_card(article, site_name):
    """The stored card's name, drawing and saving it first (and deleting outdated ones) if it is not stored yet."""
    name = card_name(article, site_name)
    if not default_storage.exists(name):
        delete_outdated_cards(article.slug)
        name = default_storage.save(name, ContentFile(draw_card(article, site_name)))
    return name


def delete_outdated_cards(slug):
    """Delete the cards drawn for `slug` before its title, author, date or the site's name changed."""
    if not default_storage.exists(CARD_FOLDER):
        return
    outdated = re.compile(rf"{re.escape(slug)}-[0-9a-f]{{16}}\.png")
    for file_name in default_storage.listdir(CARD_FOLDER)[1]:
        if outdated.fullmatch(file_name):
            default_storage.delete(f"{CARD_FOLDER}/{file_name}")


@require_safe
def social_card_view(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("author"), slug=slug)
    name = social_card(article, get_current_site(request).name)
    response = FileResponse(default_storage.open(name, "rb"), content_type="image/png")
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response
