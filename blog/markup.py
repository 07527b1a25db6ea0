"""Article bodies are written in Markdown and stored as sanitised HTML: images, audio and video only from this
site's media (library images go in by reference: images.embedding; imported WordPress audio and video as players)."""

import markdown
import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "a", "abbr", "audio", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "video",
}  # fmt: skip
# Elements whose src must be this site's media.
MEDIA_ELEMENTS = ("img", "audio", "video")
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def is_site_media(url):
    """Whether `url` points into this site's media (MEDIA_URL, or the bucket's origins in MEDIA_ORIGINS)."""
    media_path = "/" + settings.MEDIA_URL.lstrip("/")
    prefixes = [media_path, *(origin.rstrip("/") + media_path for origin in settings.MEDIA_ORIGINS)]
    prefixes += [origin.rstrip("/") + "/" for origin in settings.MEDIA_ORIGINS]
    return url.startswith(tuple(prefixes)) and ".." not in url


def keep_site_images_only(tag, attribute, value):
    """nh3's attribute filter: an <img>, <audio> or <video> keeps its src only when the file is this site's media."""
    if tag in MEDIA_ELEMENTS and attribute == "src" and not is_site_media(value):
        return None
    return value


def render_markdown(text):
    """Markdown to HTML that is safe to show readers whoever wrote it."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=keep_site_images_only,
    )
