"""WordPress's shortcodes, embeds, reusable blocks and ``<!--more-->``, turned into what WordPress showed readers.

``wordpress.content.convert()`` runs these on a post's HTML before it becomes Markdown:

- ``expand_reusable_blocks()``: ``<!-- wp:block {"ref":123} /-->`` is the reusable block's own content (the export's
  ``wp_block`` item 123), as WordPress renders it in place.
- ``split_teaser()``: ``<!--more-->`` (or ``<!--more Read on-->``) ends the teaser WordPress showed on its front page;
  the importer makes it the summary. ``<!--nextpage-->`` splits a post into pages; here it is one page, with a rule
  between them.
- ``expand_embeds()``: ``[embed]URL[/embed]``, a Gutenberg ``wp:embed`` block and, in classic content, a provider's
  URL alone on its line (WordPress's autoembed) become a link whose text is the embed's title: the one WordPress
  cached in the post's ``_oembed_…`` meta when there is one, else the block's caption, else the provider's name.
  Nothing is fetched from the provider.
- ``expand_media()``: ``[gallery]`` becomes one figure per image (the ``ids`` given, else the images uploaded to the
  post, in menu order), which the importer fetches into the library like any other image; ``[audio]``, ``[video]``,
  ``[playlist]`` and the players of Gutenberg's audio and video blocks become HTML5 players of the files the
  importer fetched (``Context.media_url``), or links to the old site's files where it did not.
- ``hide_unknown()``: any other shortcode is a plugin's, whose output the export does not hold. Its tags are removed
  (the text it enclosed stays) and counted for the report; WordPress showed it as text only once the plugin was gone.
  ``[[name]]`` is WordPress's escape for a literal ``[name]``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

MEDIA_SHORTCODES = ("gallery", "audio", "video", "playlist", "embed", "caption", "wp_caption")
AUDIO_SOURCES = ("src", "mp3", "m4a", "ogg", "wav", "wma", "flac")
VIDEO_SOURCES = ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")
AUDIO_EXTENSIONS = tuple(f".{name}" for name in AUDIO_SOURCES[1:])
# oEmbed providers WordPress embeds from a bare URL (wp-includes/class-wp-oembed.php), by host.
PROVIDERS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "vimeo.com": "Vimeo",
    "twitter.com": "Twitter",
    "x.com": "X",
    "soundcloud.com": "SoundCloud",
    "spotify.com": "Spotify",
    "flickr.com": "Flickr",
    "flic.kr": "Flickr",
    "instagram.com": "Instagram",
    "facebook.com": "Facebook",
    "tiktok.com": "TikTok",
    "wordpress.tv": "WordPress.tv",
    "dailymotion.com": "Dailymotion",
    "ted.com": "TED",
    "reddit.com": "Reddit",
    "imgur.com": "Imgur",
    "slideshare.net": "SlideShare",
    "scribd.com": "Scribd",
    "mixcloud.com": "Mixcloud",
    "kickstarter.com": "Kickstarter",
    "tumblr.com": "Tumblr",
    "pinterest.com": "Pinterest",
}

REUSABLE_BLOCK = re.compile(r"<!--\s*wp:block\s+(\{[^}]*\})\s*/-->")
MORE = re.compile(r"<!--more(.*?)?-->")
NEXTPAGE = re.compile(r"\s*<!--nextpage-->\s*")
EMBED_BLOCK = re.compile(
    r"<!--\s*wp:(?:core-)?embed(?:/[\w-]+)?\s+(\{[\s\S]*?\})\s*-->([\s\S]*?)<!--\s*/wp:(?:core-)?embed(?:/[\w-]+)?\s*-->"
)
BARE_URL_LINE = re.compile(r"(?m)^[ \t]*(https?://[^\s<>\"']+)[ \t]*$")
ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")


def shortcode(name: str) -> re.Pattern:
    """WordPress's get_shortcode_regex() for one name: ``[name attrs]``, ``[name attrs /]`` or
    ``[name attrs]content[/name]``; an opening ``[[`` and closing ``]]`` mark it escaped."""
    return re.compile(
        rf"\[(\[?)({re.escape(name)})(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\](?:((?:(?!\[/\2\])[\s\S])*?)\[/\2\])?)(\]?)"
    )


ANY_SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])([^\]/]*(?:/(?!\])[^\]/]*)*?)(?:(/)\]|\](?:((?:(?!\[/\2\])[\s\S])*?)\[/\2\])?)(\]?)"
)


def attributes(text: str) -> dict[str, str]:
    return {
        match[1].lower(): html.unescape(next(value for value in match.groups()[1:] if value is not None))
        for match in ATTRIBUTE.finditer(text or "")
    }


@dataclass(frozen=True)
class Attachment:
    id: int
    url: str
    title: str = ""
    alt: str = ""


@dataclass
class Context:
    """What the shortcodes of one post may refer to."""

    attachments: Mapping[int, Attachment] = field(default_factory=dict)  # the export's attachments, by id
    own: Sequence[int] = ()  # ids of the attachments uploaded to this post, in menu order
    blocks: Mapping[int, str] = field(default_factory=dict)  # reusable blocks (wp_block items): id → content
    oembeds: Sequence[str] = ()  # the post's cached oEmbed HTML (``_oembed_…`` meta values)
    # An audio or video file's URL on the old site → its URL here once fetched, else None.
    media_url: Callable[[str], str | None] = lambda url: None


@dataclass
class Expanded:
    text: str
    teaser: str | None = None  # the HTML before <!--more-->, if the post has one
    hidden: Counter = field(default_factory=Counter)  # unknown shortcodes hidden: name → count
    media_links: int = 0  # [audio]/[video]/[playlist] files shown as links
    players: int = 0  # … shown as players of the fetched files
    embeds: int = 0
    missing_blocks: list[int] = field(default_factory=list)


def expand(content: str, context: Context | None = None, *, is_blocks: bool = False) -> Expanded:
    """All of the above, in WordPress's order (blocks, then the teaser, then embeds and shortcodes)."""
    context = context or Context()
    result = Expanded(text="")
    text = expand_reusable_blocks(content, context.blocks, result.missing_blocks)
    text, result.teaser = split_teaser(text)
    text = NEXTPAGE.sub("\n\n<hr />\n\n", text)
    text, result.embeds = expand_embeds(text, context, is_blocks=is_blocks)
    text, result.media_links, result.players = expand_media(text, context)
    text, result.hidden = hide_unknown(text)
    result.text = text
    return result


def expand_reusable_blocks(content: str, blocks: Mapping[int, str], missing: list[int] | None = None, depth=0) -> str:
    def block(match):
        try:
            ref = int(json.loads(match[1]).get("ref", 0))
        except (ValueError, TypeError, AttributeError):
            return ""
        if ref not in blocks or depth >= 5:
            if missing is not None:
                missing.append(ref)
            return ""
        return expand_reusable_blocks(blocks[ref], blocks, missing, depth + 1)

    return REUSABLE_BLOCK.sub(block, content)


def split_teaser(content: str) -> tuple[str, str | None]:
    """The content without its ``<!--more-->`` marker, and the teaser before it (None without one)."""
    match = MORE.search(content)
    if match is None:
        return content, None
    # Gutenberg wraps the marker in its own block: <!-- wp:more --><!--more--><!-- /wp:more -->.
    teaser = re.sub(r"<!--\s*wp:more\b[^>]*-->\s*$", "", content[: match.start()])
    rest = re.sub(r"^\s*<!--\s*/wp:more\s*-->", "", content[match.end() :])
    return content[: match.start()] + rest, teaser


def provider(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.").removeprefix("m.")
    for domain, name in PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return ""


def cached_title(url: str, oembeds: Sequence[str]) -> str:
    """The title WordPress cached for an embed (``_oembed_…`` meta: the provider's HTML), matched by the URL's
    longest distinctive part (a video's id) appearing in that HTML."""
    parts = urlsplit(url)
    tokens = [token for token in re.split(r"[/?&=#.]+", parts.path + "?" + parts.query) if len(token) >= 6]
    for cached in oembeds:
        if not cached or cached.startswith("{{unknown}}"):
            continue
        if not any(token in cached for token in tokens):
            continue
        soup = BeautifulSoup(cached, "html.parser")
        frame = soup.find(["iframe", "embed"], title=True)
        if frame is not None and frame["title"].strip():
            return frame["title"].strip()
        quoted = soup.find("blockquote")
        link = quoted.find("a") if quoted else None
        if link is not None and link.get_text(strip=True):
            return link.get_text(" ", strip=True)
    return ""


def embed_link(url: str, context: Context, caption: str = "") -> str:
    title = cached_title(url, context.oembeds) or caption or (f"{provider(url)}: {url}" if provider(url) else url)
    return f'<p><a href="{html.escape(url)}">{html.escape(title, quote=False)}</a></p>'


def expand_embeds(content: str, context: Context, *, is_blocks: bool) -> tuple[str, int]:
    count = 0

    def block(match):
        nonlocal count
        try:
            url = str(json.loads(match[1]).get("url", "")).strip()
        except ValueError:
            url = ""
        inner = BeautifulSoup(match[2], "html.parser")
        caption = inner.find("figcaption")
        url = url or inner.get_text(" ", strip=True).split(" ")[0]
        if not url.startswith(("http://", "https://")):
            return match[2]
        count += 1
        return embed_link(url, context, caption.get_text(" ", strip=True) if caption else "")

    def embed(match):
        nonlocal count
        if match[1] and match[6]:
            return match[0][1:-1]
        url = html.unescape((match[5] or attributes(match[3]).get("src", "")).strip())
        if not url.startswith(("http://", "https://")):
            return ""
        count += 1
        return embed_link(url, context)

    def bare(match):
        nonlocal count
        url = match[1]
        if not (provider(url) or cached_title(url, context.oembeds)):
            return match[0]
        count += 1
        return embed_link(url, context)

    content = EMBED_BLOCK.sub(block, content)
    content = shortcode("embed").sub(embed, content)
    if not is_blocks:
        content = BARE_URL_LINE.sub(bare, content)
    return content, count


def _file_link(url: str, kind: str, title: str = "") -> str:
    name = title or unquote(PurePosixPath(urlsplit(url).path).name) or url
    return f'<a href="{html.escape(url)}">{kind}: {html.escape(name, quote=False)}</a>'


def _player(local_url: str, kind: str) -> str:
    """An HTML5 player of a fetched file (``data-local`` tells content's converter to keep it as HTML)."""
    tag = kind.lower()
    return f'<{tag} data-local="1" controls preload="metadata" src="{html.escape(local_url)}"></{tag}>'


PLAYER_ELEMENT = re.compile(
    r"""<(audio|video)\b(?![^>]*data-local)([^>]*?)\bsrc=(["'])(https?://[^"']+)\3([^>]*)>""", re.I
)


def _ids(value: str) -> list[int]:
    return [int(part) for part in re.split(r"[\s,]+", value or "") if part.isdigit()]


def expand_media(content: str, context: Context) -> tuple[str, int, int]:
    """Galleries, audio, video and playlists; returns the content, the files shown as links and as players."""
    media = _Media(context)
    content = shortcode("gallery").sub(media.gallery, content)
    content = shortcode("audio").sub(media.audio, content)
    content = shortcode("video").sub(media.video, content)
    content = shortcode("playlist").sub(media.playlist, content)
    content = PLAYER_ELEMENT.sub(media.element, content)
    return content, media.links, media.players


def _unless_escaped(replace):
    """A shortcode's replacement, except for ``[[name]]``: the literal ``[name]``."""

    def replace_unescaped(self, match, *args):
        if match[1] and match[6]:
            return match[0][1:-1]
        return replace(self, match, *args)

    return replace_unescaped


class _Media:
    """The replacements of one post's media shortcodes, counting the files shown as links and as players."""

    def __init__(self, context: Context):
        self.context = context
        self.links = self.players = 0

    def attachments(self, attrs, excluded=frozenset()):
        """The attachments a shortcode names (``ids`` or ``include``), else those uploaded to the post."""
        ids = _ids(attrs.get("ids") or attrs.get("include", "")) or list(self.context.own)
        known = self.context.attachments
        return [known[each] for each in ids if each in known and each not in excluded]

    @_unless_escaped
    def gallery(self, match):
        attrs = attributes(match[3])
        excluded = set(_ids(attrs.get("exclude", "")))
        images = [
            image
            for image in self.attachments(attrs, excluded)
            if urlsplit(image.url).path.lower().endswith(IMAGE_EXTENSIONS)
        ]
        figures = "".join(
            f'<figure data-attachment-id="{image.id}"><img class="wp-image-{image.id}" src="{html.escape(image.url)}" '
            f'alt="{html.escape(image.alt)}" /></figure>\n'
            for image in images
        )
        return f"\n\n{figures}\n" if figures else ""

    def shown(self, url, label, title=""):
        """A player of the fetched file, else a link to the old one."""
        local = self.context.media_url(url)
        if local:
            self.players += 1
            return _player(local, label)
        self.links += 1
        return _file_link(url, label, title)

    def audio(self, match):
        return self.player(match, AUDIO_SOURCES, "Audio")

    def video(self, match):
        return self.player(match, VIDEO_SOURCES, "Video")

    @_unless_escaped
    def player(self, match, sources, label):
        """``[audio]`` or ``[video]``, whose file is the first of ``sources`` given, else the one it encloses."""
        attrs = attributes(match[3])
        url = next((attrs[name] for name in sources if attrs.get(name)), "") or (match[5] or "").strip()
        if not url.startswith(("http://", "https://")):
            return ""
        return f"\n\n<p>{self.shown(url, label)}</p>\n\n"

    @_unless_escaped
    def playlist(self, match):
        attrs = attributes(match[3])
        label = "Video" if attrs.get("type") == "video" else "Audio"
        files = self.attachments(attrs)
        if label == "Audio":
            files = [each for each in files if urlsplit(each.url).path.lower().endswith(AUDIO_EXTENSIONS)]
        items = "".join(f"<li>{self.shown(each.url, label, each.title)}</li>" for each in files)
        return f"\n\n<ul>{items}</ul>\n\n" if items else ""

    def element(self, match):
        """A block's own <audio>/<video>: the fetched file's player, or left for the converter to make a link."""
        local = self.context.media_url(html.unescape(match[4]))
        if not local:
            return match[0]
        self.players += 1
        return f'<{match[1]} data-local="1"{match[2]}src="{html.escape(local)}"{match[5]}>'


def hide_unknown(content: str) -> tuple[str, Counter]:
    """Remove the tags of shortcodes no one here renders, keep what they enclose, and count them.

    Only what reads as a shortcode: a closing tag, attributes, a self-closing slash, or a name with ``-`` or ``_``
    (``[contact-form-7 id="4"]``, ``[su_box]…[/su_box]``); ``[1]``, ``[sic]`` and ``[citation needed]`` stay text.
    """
    hidden = Counter()

    def replace(match):
        escaped, name, attrs, closed, inner, end = match.groups()
        if escaped and end:
            return match[0][1:-1]
        if name.lower() in MEDIA_SHORTCODES:
            return match[0]
        looks_like_one = inner is not None or closed or "=" in (attrs or "") or re.search(r"[-_]", name)
        if not looks_like_one:
            return match[0]
        hidden[name] += 1
        if not inner:
            return f"{escaped}{end}"
        inner_text, inner_hidden = hide_unknown(inner)
        hidden.update(inner_hidden)
        return f"{escaped}{inner_text}{end}"

    return ANY_SHORTCODE.sub(replace, content), hidden


def teaser_text(teaser_html: str, limit: int) -> str:
    """The teaser as the plain-text summary the site shows: tags and block comments dropped, at most ``limit``
    characters, cut at a word."""
    text = re.sub(r"<!--[\s\S]*?-->", "", hide_unknown(teaser_html)[0])
    text = " ".join(BeautifulSoup(text, "html.parser").get_text(" ").split())
    text = html.unescape(text)
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
