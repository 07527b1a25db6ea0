"""WordPress post content to this project's body format: Markdown that blog.markup renders and sanitises.

Why Markdown and not the HTML as it is: an imported article is edited afterwards in the same Markdown
field as every other article, and blog.markup (Python-Markdown "extra", then nh3) renders it like
theirs. Headings, paragraphs, quotes, lists, links, emphasis and code become Markdown (markdownify);
what Markdown has no syntax for stays as the HTML the sanitiser allows: captioned images as
``<figure>``, tables, and ``sub``/``sup``/``u``/``mark``/``ins``/``del``/``s``/``abbr``/``kbd``/``q``/``small``/
``cite``. Classes, styles, scripts and iframes are dropped, as the sanitiser would drop them anyway.

``convert()`` does it in this order:

1. Gutenberg block comments (``<!-- wp:paragraph -->``, ``<!-- /wp:… -->``, ``<!-- wp:… /-->``) are
   removed and their inner HTML kept. A post without them is classic content, which WordPress shows
   through ``wpautop``: blank lines are paragraphs and single newlines line breaks (``wpautop()`` is a
   port of the parts that decide that).
2. ``[caption …]<a><img></a> Text[/caption]`` becomes ``<figure><img><figcaption>Text</figcaption></figure>``,
   as WordPress renders it.
3. Links are rewritten with a map of old URLs to new ones (``link_key()`` says which URLs match).
4. Before all of that, ``wordpress.shortcodes`` expands reusable blocks, takes the teaser before ``<!--more-->``
   (``Body.teaser``), and turns ``[gallery]``, ``[audio]``, ``[video]``, ``[playlist]``, ``[embed]`` and
   ``wp:embed`` into what WordPress showed; a plugin's shortcodes are hidden and counted in ``Body.shortcodes``
   for the report.
5. Every image is listed in ``Body.images`` (its src, alt, caption, size and WordPress attachment id),
   so the importer can fetch it into the media library and swap it with ``replace_images()``.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from bs4 import BeautifulSoup
from markdownify import ATX, MarkdownConverter

from . import shortcodes as shortcode_module

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:[\s\S]*?-->\n?")
CAPTION = re.compile(r"\[(?:wp_)?caption\b([^\]]*)\]([\s\S]*?)\[/(?:wp_)?caption\]")
SHORTCODE = re.compile(r"(?<!\[)\[([A-Za-z][\w-]*)(?=[\s\]/])")
SHORTCODE_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"\]]+))""")
ATTACHMENT_CLASS = re.compile(r"\bwp-image-(\d+)\b")
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
# Query parameters WordPress answers with a post, page or attachment by id (its "plain" permalinks).
ID_PARAMETERS = ("p", "page_id", "attachment_id")

Links = Mapping[str, str] | Callable[[str], str | None]


@dataclass(frozen=True)
class Image:
    src: str
    alt: str = ""
    title: str = ""
    caption: str = ""  # HTML, "" for an image without a caption
    width: str = ""
    height: str = ""
    attachment_id: int | None = None  # WordPress's post_id of the attachment, when the markup says it

    @property
    def original_src(self):
        """The full-size file's URL: WordPress's "-300x200" size suffix removed."""
        return SIZE_SUFFIX.sub("", self.src)


@dataclass
class Body:
    markdown: str
    images: list[Image] = field(default_factory=list)
    shortcodes: Counter = field(default_factory=Counter)  # unknown shortcode name → times hidden from readers
    is_blocks: bool = False  # Gutenberg block content
    unmapped_links: list[str] = field(default_factory=list)  # links to the old site with no new URL
    teaser: str | None = None  # the HTML before <!--more-->, when there is one
    media_links: int = 0  # audio and video files shown as links
    players: int = 0  # audio and video files shown as players (fetched)
    embeds: int = 0
    missing_blocks: list[int] = field(default_factory=list)  # reusable blocks not in the export


def convert(
    content: str,
    *,
    links: Links | None = None,
    site_url: str = "",
    context: shortcode_module.Context | None = None,
) -> Body:
    """A WordPress post's ``content:encoded`` as Markdown, with its images and leftover shortcodes.

    ``links`` maps old URLs to new ones: a dict (matched by ``link_key()``: http or https, with or
    without the trailing slash, ``?p=ID``) or a callable given the absolute URL, returning the new URL or
    None. ``site_url`` (the export's ``base_blog_url``) resolves relative links and tells which links
    point at the old site, for ``Body.unmapped_links``.
    """
    is_blocks = has_blocks(content)
    expanded = shortcode_module.expand(content, context, is_blocks=is_blocks)
    text = strip_block_comments(expanded.text)
    text = expand_captions(text)
    if not is_blocks:
        text = wpautop(text)
    soup = BeautifulSoup(text, "html.parser")
    unmapped = _rewrite_links(soup, links, site_url)
    images = [_image(img) for img in soup.find_all("img") if img.get("src")]
    linked_players = len([each for each in soup.find_all(["audio", "video"]) if not each.get("data-local")])
    markdown = _Converter().convert_soup(soup)
    return Body(
        markdown=_tidy(markdown),
        images=images,
        shortcodes=expanded.hidden,
        is_blocks=is_blocks,
        unmapped_links=unmapped,
        teaser=expanded.teaser,
        media_links=expanded.media_links + linked_players,
        players=expanded.players,
        embeds=expanded.embeds,
        missing_blocks=expanded.missing_blocks,
    )


def has_blocks(content: str) -> bool:
    return "<!-- wp:" in content


def strip_block_comments(content: str) -> str:
    """Remove Gutenberg's block delimiters and keep what is between them.

    Block attributes are JSON in which WordPress escapes "--", "<" and ">", so the first "-->" ends the comment.
    """
    return BLOCK_COMMENT.sub("", content)


def shortcode_attributes(text: str) -> dict[str, str]:
    return {
        match[1]: next(value for value in match.groups()[1:] if value is not None)
        for match in SHORTCODE_ATTR.finditer(text)
    }


def expand_captions(content: str) -> str:
    """``[caption]`` shortcodes as ``<figure>`` with a ``<figcaption>``; one that holds no image is left alone."""

    def figure(match):
        attributes = shortcode_attributes(match[1])
        inner = match[2].strip()
        parts = re.match(r"((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)([\s\S]*)", inner)
        if parts is None:
            return match[0]
        caption = parts[2].strip() or html.escape(attributes.get("caption", ""), quote=False)
        attachment = re.fullmatch(r"attachment_(\d+)", attributes.get("id", ""))
        data = f' data-attachment-id="{attachment[1]}"' if attachment else ""
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure{data}>{parts[1]}{figcaption}</figure>"

    return CAPTION.sub(figure, content)


def find_shortcodes(content: str) -> Counter:
    """Names of the shortcodes left in the content ("[gallery ids=…]" → "gallery"), with counts."""
    return Counter(match[1] for match in SHORTCODE.finditer(content))


# --- wpautop ---------------------------------------------------------------------------------------
_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote"
    r"|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption"
    r"|details|menu|summary)"
)
_OPEN_BLOCK = re.compile(rf"(<{_BLOCKS}[\s/>])", re.I)
_CLOSE_BLOCK = re.compile(rf"(</{_BLOCKS}>)", re.I)
_BLOCK_TAG = rf"</?{_BLOCKS}[^>]*>"


def wpautop(text: str) -> str:
    """Paragraphs and line breaks for classic content, as WordPress's wpautop() makes them.

    Blank lines separate paragraphs, a single newline is a <br>, block-level HTML is not wrapped,
    and <pre> is left as it is.
    """
    if not text.strip():
        return ""
    preformatted = []

    def keep_pre(match):
        preformatted.append(match[0])
        return f"<pre wp-pre-tag-{len(preformatted) - 1}></pre>"

    text = re.sub(r"<pre\b[\s\S]*?</pre>", keep_pre, text.replace("\r\n", "\n").replace("\r", "\n"), flags=re.I)
    # A newline inside a tag (<img\nsrc=…>) is not a line break.
    text = re.sub(r"<[^<>]+>", lambda match: match[0].replace("\n", " "), text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.I)
    text = _OPEN_BLOCK.sub(r"\n\n\1", text)
    text = _CLOSE_BLOCK.sub(r"\1\n\n", text)
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text) if part.strip()]
    text = "".join(f"<p>{paragraph}</p>\n" for paragraph in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*({_BLOCK_TAG})", r"\1", text)
    text = re.sub(rf"({_BLOCK_TAG})\s*</p>", r"\1", text)
    text = re.sub(r"(?<!<br />)\s*\n(?!$)", "<br />\n", text)
    text = re.sub(rf"({_BLOCK_TAG})\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda match: preformatted[int(match[1])], text)
    return text.strip()


# --- Links -----------------------------------------------------------------------------------------
def link_key(url: str, site_url: str = "") -> str:
    """What two links to the same WordPress page have in common.

    The scheme, a trailing slash, the fragment and the host's case do not count;
    ``/?p=101``, ``/index.php?p=101`` and ``?p=101`` are the same page.
    """
    parts = urlsplit(urljoin(site_url, url.strip()) if site_url else url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    query = dict(parse_qsl(parts.query))
    for name in ID_PARAMETERS:
        if query.get(name, "").isdigit() and parts.path in ("", "/", "/index.php"):
            return f"{host}/?{name}={int(query[name])}"
    key = f"{host}{parts.path.rstrip('/')}"
    return f"{key}?{parts.query}" if parts.query else key


def _lookup(links: Links | None, site_url: str):
    if links is None:
        return lambda url: None
    if callable(links):
        return links
    keyed = {link_key(old, site_url): new for old, new in links.items()}
    return lambda url: keyed.get(link_key(url, site_url))


def _rewrite_links(soup, links, site_url):
    lookup = _lookup(links, site_url)
    site_host = urlsplit(site_url).hostname if site_url else None
    unmapped = []
    for anchor in soup.find_all("a", href=True):
        href = anchor["href"].strip()
        if href.startswith(("#", "mailto:", "tel:")):
            continue
        absolute, _, fragment = (urljoin(site_url, href) if site_url else href).partition("#")
        new = lookup(absolute)
        if new:
            anchor["href"] = f"{new}#{fragment}" if fragment and "#" not in new else new
        elif site_host and urlsplit(absolute).hostname == site_host and "/wp-content/" not in absolute:
            unmapped.append(absolute)
    return unmapped


# --- Images ----------------------------------------------------------------------------------------
def _image(img):
    figure = img.find_parent("figure")
    caption = figure.find("figcaption") if figure else None
    match = ATTACHMENT_CLASS.search(" ".join(img.get("class", [])))
    attachment = match[1] if match else (figure.get("data-attachment-id") if figure else None)
    return Image(
        src=img["src"].strip(),
        alt=img.get("alt", ""),
        title=img.get("title", ""),
        caption=caption.decode_contents().strip() if caption else "",
        width=img.get("width", ""),
        height=img.get("height", ""),
        attachment_id=int(attachment) if attachment else None,
    )


def image_markup(image: Image) -> str:
    """The body's markup for an image: Markdown inline, a <figure> block when it has a caption."""
    if image.caption:
        attributes = {"src": image.src, "alt": image.alt, "title": image.title}
        attributes.update(width=image.width, height=image.height)
        img = " ".join(f'{name}="{html.escape(value)}"' for name, value in attributes.items() if value or name == "alt")
        return f"<figure>\n<img {img}>\n<figcaption>{image.caption}</figcaption>\n</figure>"
    alt = re.sub(r"([\\\[\]])", r"\\\1", image.alt)
    src = f"<{image.src}>" if re.search(r"[\s()<>]", image.src) else image.src
    title = ' "{}"'.format(image.title.replace("\\", "\\\\").replace('"', '\\"')) if image.title else ""
    return f"![{alt}]({src}{title})"


FIGURE_MARKUP = re.compile(r"<figure>\n<img ([^>]*)>\n<figcaption>([\s\S]*?)</figcaption>\n</figure>")
INLINE_MARKUP = re.compile(r'!\[((?:\\.|[^\\\]])*)\]\((<[^>]*>|[^\s)]+)(?: "((?:\\.|[^\\"])*)")?\)')
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def replace_images(markdown: str, replacements: Mapping[str, str] | Callable[[Image], str | None]) -> str:
    """Swap the images of a converted body.

    A dict maps an image's src to a new src (the rest of its markup stays). A callable is given each
    Image and returns the markup to put in its place (a media-library reference), or None to keep it.
    """
    if callable(replacements):
        swap = replacements
    else:

        def swap(image):
            new = replacements.get(image.src)
            return image_markup(replace(image, src=new)) if new else None

    def figure(match):
        attributes = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(match[1])}
        image = Image(
            src=attributes.get("src", ""),
            alt=attributes.get("alt", ""),
            title=attributes.get("title", ""),
            caption=match[2],
            width=attributes.get("width", ""),
            height=attributes.get("height", ""),
        )
        return swap(image) or match[0]

    def inline(match):
        unescape = re.compile(r"\\(.)")
        src = match[2][1:-1] if match[2].startswith("<") else match[2]
        image = Image(src=src, alt=unescape.sub(r"\1", match[1]), title=unescape.sub(r"\1", match[3] or ""))
        return swap(image) or match[0]

    return INLINE_MARKUP.sub(inline, FIGURE_MARKUP.sub(figure, markdown))


# --- HTML to Markdown ------------------------------------------------------------------------------
class _Converter(MarkdownConverter):
    def __init__(self):
        super().__init__(heading_style=ATX, bullets="-", escape_misc=False, strip_document="strip")

    def escape(self, text, parent_tags):
        """Text stays text: what Markdown or HTML would read as markup is escaped."""
        if not text:
            return ""
        text = text.replace("\\", "\\\\").replace("&", "&amp;").replace("<", "&lt;").replace("`", "\\`")
        text = re.sub(r"(\s|^)(#{1,6})(?=\s|$)", r"\1\\\2", text)
        text = re.sub(r"(\s|^)(\d{1,9})([.)])(?=\s|$)", r"\1\2\\\3", text)
        text = re.sub(r"^([-+>])(?=\s)", r"\\\1", text, flags=re.M)
        return text.replace("*", r"\*").replace("_", r"\_")

    def convert_li(self, el, text, parent_tags):
        """A list item whose further lines (nested lists too) are indented by four spaces, as Python-Markdown wants."""
        text = (text or "").strip()
        if not text:
            return "\n"
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}."
        else:
            bullet = "-"
        lines = text.split("\n")
        rest = "".join("\n" + ("    " + line if line else "") for line in lines[1:])
        # An item of several paragraphs ends with a blank line, or the next item would continue its last paragraph.
        end = "\n\n" if "\n\n" in text else "\n"
        return f"{bullet} {lines[0]}{rest}{end}"

    def convert_h1(self, el, text, parent_tags):
        """The article's title is the page's only <h1>; a heading in the body starts at <h2>."""
        return self.convert_hN(2, el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):
        return image_markup(_image(el) if el.get("src") else Image(src=""))

    def convert_figure(self, el, text, parent_tags):
        img = el.find("img")
        if img is None or not img.get("src"):
            return f"\n\n{text.strip()}\n\n"
        # A link around a captioned image (to its file or attachment page on the old site) is not kept.
        return f"\n\n{image_markup(_image(img))}\n\n"

    def convert_figcaption(self, el, text, parent_tags):
        return ""

    def convert_table(self, el, text, parent_tags):
        """Tables stay HTML (colspan, rowspan and captions have no Markdown); the sanitiser keeps their tags."""
        for tag in el.find_all(True):
            tag.attrs = {name: value for name, value in tag.attrs.items() if name in ("colspan", "rowspan", "scope")}
        table = re.sub(r">\s+<", "><", str(el))
        return f"\n\n{table}\n\n"

    def _raw_inline(self, el, text, parent_tags):
        if not text.strip():
            return text
        attributes = "".join(f' {name}="{html.escape(el[name])}"' for name in ("title",) if el.get(name))
        return f"<{el.name}{attributes}>{text}</{el.name}>"

    convert_sub = convert_sup = convert_u = convert_mark = convert_ins = convert_del = convert_s = _raw_inline
    convert_abbr = convert_kbd = convert_q = convert_small = convert_cite = _raw_inline

    def convert_audio(self, el, text, parent_tags):
        """A player of a file fetched here stays a player; one of the old site's files becomes a link to it."""
        source = el.get("src") or next((each.get("src") for each in el.find_all("source") if each.get("src")), "")
        if not source:
            return ""
        if el.get("data-local"):
            return f'\n\n<{el.name} controls preload="metadata" src="{html.escape(source)}"></{el.name}>\n\n'
        name = re.sub(r"([\\\[\]])", r"\\\1", unquote(source.rsplit("/", 1)[-1]) or source)
        kind = "Audio" if el.name == "audio" else "Video"
        return f"[{kind}: {name}](<{source}>)"

    convert_video = convert_audio

    def convert_script(self, el, text, parent_tags):
        return ""

    convert_style = convert_iframe = convert_noscript = convert_script


def _tidy(markdown):
    markdown = re.sub(r"[ \t]+\n", lambda match: "  \n" if match[0].startswith("  ") else "\n", markdown)
    return re.sub(r"\n{3,}", "\n\n", markdown).strip() + "\n"
