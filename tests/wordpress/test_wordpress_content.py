"""wordpress.content turns WordPress post content into Markdown that blog.markup renders as WordPress showed it."""

from pathlib import Path

import pytest

from blog.markup import render_markdown
from wordpress import content, shortcodes, wxr

EXPORT = Path(__file__).parent.parent / "data" / "wordpress" / "export.xml"
SITE = "https://news.example.org"
PHONE = "https://news.example.org/wp-content/uploads/2016/08/xiaomi-phone-300x200.jpg"
CAPTIONED = (
    '[caption id="attachment_10" align="aligncenter" width="300"]<a href="https://news.example.org/wp-content/uploads/'
    f'2016/08/xiaomi-phone.jpg"><img class="size-medium wp-image-10" src="{PHONE}" alt="A phone" width="300" '
    'height="200" /></a> The <em>Redmi</em> Note 3[/caption]'
)


@pytest.fixture(scope="module")
def export():
    return wxr.parse(EXPORT)


def post_content(export, post_id):
    return next(item.content for item in export.items if item.post_id == post_id)


def rendered(html, **kwargs):
    return render_markdown(content.convert(html, **kwargs).markdown)


# --- Classic content: wpautop ----------------------------------------------------------------------
def test_blank_lines_are_paragraphs_and_single_newlines_line_breaks():
    assert content.wpautop("One\nline two\n\nTwo") == "<p>One<br />\nline two</p>\n<p>Two</p>"


def test_wpautop_does_not_wrap_block_html_in_paragraphs():
    html = content.wpautop("Intro\n<h2>Title</h2>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nEnd")
    assert html == "<p>Intro</p>\n<h2>Title</h2>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>End</p>"


def test_wpautop_puts_a_quotes_text_in_a_paragraph():
    assert content.wpautop("<blockquote>Said so.</blockquote>") == "<blockquote><p>Said so.</p></blockquote>"


def test_wpautop_leaves_preformatted_text_alone():
    assert content.wpautop("<pre>a\n\nb</pre>") == "<pre>a\n\nb</pre>"


def test_wpautop_ignores_newlines_inside_a_tag():
    assert content.wpautop('<img\nsrc="a.png"\nalt="x" /> text') == '<p><img src="a.png" alt="x" /> text</p>'


def test_classic_post_renders_paragraphs_breaks_headings_quotes_and_lists(export):
    html = rendered(post_content(export, 101), site_url=SITE)
    assert "<p>The <strong>Pakistan Telecommunication Authority</strong> has told shops" in html
    assert "Xiaomi phones.<br>\nThe order came on Monday.</p>" in html
    assert "<h2>What the PTA said</h2>" in html
    assert (
        "<blockquote>\n<p>“Phones that are not type-approved cannot be sold,” the authority said.</p>\n</blockquote>"
        in html
    )
    assert "<ul>\n<li>Redmi Note 3</li>\n<li>Mi 5</li>\n</ul>" in html
    assert "<code>if (list[ids[0]]&gt; 3)</code>" in html


def test_classic_post_markdown_reads_as_markdown(export):
    body = content.convert(post_content(export, 101), site_url=SITE)
    assert not body.is_blocks
    assert "## What the PTA said\n\n> “Phones that are not type-approved" in body.markdown
    assert "Models named in the order:\n\n- Redmi Note 3\n- Mi 5\n" in body.markdown


# --- Gutenberg -------------------------------------------------------------------------------------
def test_block_comments_are_removed_and_their_html_kept():
    html = '<!-- wp:paragraph -->\n<p>Hi</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:spacer {"height":"20px"} /-->'
    assert content.strip_block_comments(html) == "<p>Hi</p>\n\n"


def test_block_comment_attributes_may_hold_anything_wordpress_escapes():
    html = '<!-- wp:heading {"content":"a \\u003e b \\u002d\\u002d c"} -->\n<h2>T</h2>\n<!-- /wp:heading -->'
    assert content.strip_block_comments(html) == "<h2>T</h2>\n"


def test_gutenberg_post_renders_without_wpautop(export):
    body = content.convert(post_content(export, 102), site_url=SITE)
    assert body.is_blocks
    assert "wp:" not in body.markdown
    html = render_markdown(body.markdown)
    assert html.startswith("<p>Every phone brought into Pakistan now needs its IMEI registered with the ")
    assert '<abbr title="Pakistan Telecommunication Authority">PTA</abbr>' in html
    assert "<h3>Who has to register</h3>" in html
    assert "<li>Shops importing <em>any</em> handset</li>" in html
    assert "<blockquote>\n<p>Registration is free for the first phone.</p>\n<p><cite>PTA notice</cite></p>" in html
    assert "<hr>" in html
    assert "<br>" not in html


def test_gutenberg_image_block_becomes_a_figure_with_its_caption(export):
    body = content.convert(post_content(export, 102))
    (image,) = body.images
    assert (image.alt, image.caption, image.attachment_id) == ("The PTA’s logo", "The authority’s logo", 12)
    html = render_markdown(body.markdown)
    assert "<figure>\n<img" in html
    assert "<figcaption>The authority’s logo</figcaption>\n</figure>" in html


# --- [caption] and images --------------------------------------------------------------------------
def test_caption_shortcode_becomes_a_figure():
    html = content.expand_captions(CAPTIONED)
    assert html.startswith('<figure data-attachment-id="10"><a href=')
    assert html.endswith("</a><figcaption>The <em>Redmi</em> Note 3</figcaption></figure>")


def test_caption_given_as_an_attribute_is_used():
    html = content.expand_captions(
        '[caption id="attachment_3" caption="Old style"]<img src="a.jpg" alt="" />[/caption]'
    )
    assert (
        html == '<figure data-attachment-id="3"><img src="a.jpg" alt="" /><figcaption>Old style</figcaption></figure>'
    )


def test_a_caption_without_an_image_is_left_as_text():
    assert content.expand_captions("[caption]Just words[/caption]") == "[caption]Just words[/caption]"


def old_site_images_as_media(settings):
    """The blog's sanitiser keeps only this site's media images; the importer replaces the old site's image URLs
    (content.Image) with the library's. Here the old site's origin stands in for this site's media."""
    settings.MEDIA_ORIGINS = [SITE]


def test_captioned_image_renders_as_figure_with_figcaption(settings):
    old_site_images_as_media(settings)
    html = rendered(CAPTIONED)
    assert html == (
        f'<figure>\n<img src="{PHONE}" alt="A phone" width="300" height="200">\n'
        "<figcaption>The <em>Redmi</em> Note 3</figcaption>\n</figure>"
    )


def test_images_are_listed_with_src_alt_caption_size_and_attachment(export):
    body = content.convert(post_content(export, 101))
    assert body.images == [
        content.Image(
            src=PHONE,
            alt="A Xiaomi phone on a desk",
            caption="Xiaomi’s Redmi Note 3, sold in <em>Pakistan</em> until the ban",
            width="300",
            height="200",
            attachment_id=10,
        ),
        content.Image(
            src="https://news.example.org/wp-content/uploads/2016/08/pta-logo-150x150.png",
            alt="The PTA’s logo",
            width="150",
            height="150",
            attachment_id=12,
        ),
    ]
    assert body.images[0].original_src == "https://news.example.org/wp-content/uploads/2016/08/xiaomi-phone.jpg"


def test_inline_image_stays_inline_in_its_paragraph(export, settings):
    old_site_images_as_media(settings)
    html = rendered(post_content(export, 101))
    assert (
        '<p><img alt="The PTA’s logo" src="https://news.example.org/wp-content/uploads/2016/08/pta-logo-150x150.png">'
        "The authority says" in html
    )


def test_replace_images_with_a_map_of_new_sources_keeps_alt_and_caption(export):
    body = content.convert(post_content(export, 101))
    swapped = content.replace_images(
        body.markdown,
        {image.src: f"/media/images/{image.attachment_id}.jpg" for image in body.images},
    )
    html = render_markdown(swapped)
    assert '<img src="/media/images/10.jpg" alt="A Xiaomi phone on a desk" width="300" height="200">' in html
    assert "<figcaption>Xiaomi’s Redmi Note 3, sold in <em>Pakistan</em> until the ban</figcaption>" in html
    assert '<img alt="The PTA’s logo" src="/media/images/12.jpg">' in html
    assert "wp-content" not in html


def test_replace_images_with_a_function_puts_its_markup_in_place_or_keeps_the_image(export):
    body = content.convert(post_content(export, 101))
    seen = []

    def library_reference(image):
        seen.append((image.src, image.alt, image.caption))
        return "[[image:10]]" if image.src == PHONE else None

    swapped = content.replace_images(body.markdown, library_reference)
    assert "\n[[image:10]]\n" in swapped
    assert "<figure>" not in swapped
    assert "![The PTA’s logo](https://news.example.org/wp-content/uploads/2016/08/pta-logo-150x150.png)" in swapped
    assert seen[0] == (
        PHONE,
        "A Xiaomi phone on a desk",
        "Xiaomi’s Redmi Note 3, sold in <em>Pakistan</em> until the ban",
    )


def test_image_markup_escapes_what_markdown_would_read():
    markup = content.image_markup(content.Image(src="/a (1).png", alt="x [y]", title='say "hi"'))
    assert markup == '![x \\[y\\]](</a (1).png> "say \\"hi\\"")'
    assert content.replace_images(markup, {"/a (1).png": "/b.png"}) == '![x \\[y\\]](/b.png "say \\"hi\\"")'


# --- Shortcodes ------------------------------------------------------------------------------------
GALLERY = shortcodes.Context(
    attachments={
        10: shortcodes.Attachment(10, f"{SITE}/wp-content/uploads/2016/08/xiaomi-phone.jpg", "xiaomi-phone", "A phone"),
        12: shortcodes.Attachment(12, f"{SITE}/wp-content/uploads/2016/08/pta-logo.png", "pta-logo", "The logo"),
        13: shortcodes.Attachment(13, f"{SITE}/wp-content/uploads/2016/08/interview.mp3", "The interview"),
    },
    own=[12, 10, 13],
)


def test_a_gallery_becomes_a_figure_per_image_with_its_attachment_id(export):
    body = content.convert(post_content(export, 101), context=GALLERY)
    assert body.shortcodes == {}
    assert "[gallery" not in body.markdown
    gallery = [image for image in body.images if image.attachment_id in (10, 12) and "uploads/2016/08/" in image.src]
    assert [image.attachment_id for image in gallery][-2:] == [10, 12]


def test_a_gallery_without_ids_shows_the_images_uploaded_to_the_post_in_menu_order():
    body = content.convert('<p>Look:</p>\n[gallery columns="2"]', context=GALLERY)
    assert [image.attachment_id for image in body.images] == [12, 10]


def test_audio_and_video_become_links_to_their_files():
    html = (
        f'[audio mp3="{SITE}/wp-content/uploads/2016/08/interview.mp3"][/audio]\n\n'
        '[video width="640" mp4="https://news.example.org/clip.mp4"]\n\n'
        '<!-- wp:audio --><figure class="wp-block-audio"><audio controls src="https://news.example.org/a.ogg">'
        "</audio></figure><!-- /wp:audio -->\n\n"
        '[playlist ids="13,10"]'
    )
    body = content.convert(html, context=GALLERY)
    rendered_html = render_markdown(body.markdown)
    assert (
        f'<a href="{SITE}/wp-content/uploads/2016/08/interview.mp3" rel="noopener noreferrer">Audio: interview.mp3</a>'
        in (rendered_html)
    )
    assert '<a href="https://news.example.org/clip.mp4" rel="noopener noreferrer">Video: clip.mp4</a>' in rendered_html
    assert '<a href="https://news.example.org/a.ogg" rel="noopener noreferrer">Audio: a.ogg</a>' in rendered_html
    assert "Audio: The interview</a>" in rendered_html
    assert "[" not in rendered_html
    assert body.media_links == 4


def test_embeds_become_links_with_their_titles():
    url = "https://www.youtube.com/watch?v=nwe-H6l4beM"
    block = (
        f'<!-- wp:embed {{"url":"{url}","type":"video","providerNameSlug":"youtube"}} -->\n'
        f'<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n{url}\n</div>'
        "<figcaption>The launch, filmed</figcaption></figure>\n<!-- /wp:embed -->"
    )
    body = content.convert(block)
    assert f'<a href="{url}" rel="noopener noreferrer">The launch, filmed</a>' in render_markdown(body.markdown)
    cached = '<iframe title="Xiaomi Mi 5 hands-on" src="https://www.youtube.com/embed/nwe-H6l4beM?feature=oembed">'
    classic = content.convert(
        f"Watch this:\n\n[embed]{url}[/embed]\n\nhttps://vimeo.com/22439234\n\nhttps://example.com/x"
    )
    context = shortcodes.Context(oembeds=[cached])
    titled = content.convert(f'[embed width="500"]{url}[/embed]', context=context)
    assert f'<a href="{url}" rel="noopener noreferrer">Xiaomi Mi 5 hands-on</a>' in render_markdown(titled.markdown)
    classic_html = render_markdown(classic.markdown)
    assert f'<a href="{url}" rel="noopener noreferrer">YouTube: {url}</a>' in classic_html.replace("&amp;", "&")
    assert '<a href="https://vimeo.com/22439234" rel="noopener noreferrer">Vimeo: https://vimeo.com/22439234</a>' in (
        classic_html
    )
    assert "https://example.com/x" in classic_html
    assert classic.embeds == 2


def test_reusable_blocks_are_expanded_in_place():
    context = shortcodes.Context(blocks={88: "<!-- wp:paragraph -->\n<p>Subscribe to our <em>newsletter</em>.</p>\n"})
    body = content.convert(
        "<!-- wp:paragraph --><p>Before.</p><!-- /wp:paragraph -->\n"
        '<!-- wp:block {"ref":88} /-->\n<!-- wp:block {"ref":99} /-->',
        context=context,
    )
    assert "Subscribe to our *newsletter*." in body.markdown
    assert body.missing_blocks == [99]


def test_the_teaser_before_more_is_kept_and_the_marker_removed():
    body = content.convert("The <strong>short</strong> version.\n<!--more Read on-->\nThe long version.")
    assert body.teaser.strip() == "The <strong>short</strong> version."
    assert "more" not in body.markdown
    assert "The long version." in body.markdown
    assert shortcodes.teaser_text(body.teaser, 300) == "The short version."
    blocks = content.convert(
        "<!-- wp:paragraph --><p>Teaser.</p><!-- /wp:paragraph -->\n"
        "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n<p>Rest.</p>"
    )
    assert shortcodes.teaser_text(blocks.teaser, 300) == "Teaser."


def test_a_plugins_shortcodes_are_hidden_and_counted_and_plain_brackets_stay():
    text = (
        '[contact-form-7 id="4" title="Contact"] [su_box title="Note"]Boxed [b]text[/b][/su_box] [1] [sic] [[gallery]]'
    )
    body = content.convert(text)
    assert body.shortcodes == {"contact-form-7": 1, "su_box": 1, "b": 1}
    assert render_markdown(body.markdown) == "<p>Boxed text [1] [sic] [gallery]</p>"


def test_find_shortcodes_counts_each_opening_and_skips_escaped_and_numeric_brackets():
    text = '[embed]https://v.example/1[/embed] [contact-form-7 id="4"] [[gallery]] [1] [embed]x[/embed]'
    assert content.find_shortcodes(text) == {"embed": 2, "contact-form-7": 1}


# --- Links -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "href",
    [
        "https://news.example.org/2016/07/20/pta-registration-explained/",
        "http://news.example.org/2016/07/20/pta-registration-explained",
        "https://NEWS.example.org/2016/07/20/pta-registration-explained/",
        "/2016/07/20/pta-registration-explained/",
    ],
)
def test_links_to_an_old_post_are_rewritten_whatever_their_scheme_or_trailing_slash(href):
    links = {"https://news.example.org/2016/07/20/pta-registration-explained/": "/articles/pta-registration/"}
    html = rendered(f'<a href="{href}">how</a>', links=links, site_url=SITE)
    assert html == '<p><a href="/articles/pta-registration/" rel="noopener noreferrer">how</a></p>'


@pytest.mark.parametrize("href", ["http://news.example.org/?p=104", "/index.php?p=104", "?p=104"])
def test_links_by_post_id_are_rewritten(href):
    links = {"https://news.example.org/?p=104": "/articles/xiaomi-answers/"}
    assert "/articles/xiaomi-answers/" in rendered(f'<a href="{href}">next</a>', links=links, site_url=SITE)


def test_a_links_fragment_is_kept():
    links = {"https://news.example.org/about-us/": "/about/"}
    assert '<a href="/about/#team"' in rendered('<a href="https://news.example.org/about-us/#team">us</a>', links=links)


def test_links_can_be_rewritten_by_a_function():
    def new_url(url):
        return "/new/" if url.endswith("/old/") else None

    html = rendered(
        '<a href="https://news.example.org/old/">a</a> <a href="https://else.example/">b</a>', links=new_url
    )
    assert '<a href="/new/"' in html
    assert '<a href="https://else.example/"' in html


def test_links_to_the_old_site_without_a_new_url_are_reported(export):
    body = content.convert(post_content(export, 102), links={}, site_url=SITE)
    assert body.unmapped_links == ["https://news.example.org/2016/08/04/why-xiaomi-smartphones-banned-in-pakistan"]


def test_mail_links_and_uploads_are_not_reported_as_unmapped():
    html = '<a href="mailto:desk@news.example.org">mail</a> <a href="/wp-content/uploads/a.pdf">pdf</a>'
    assert content.convert(html, site_url=SITE).unmapped_links == []


def test_link_key_ignores_scheme_case_trailing_slash_and_fragment():
    assert content.link_key("HTTP://News.Example.org/a/b/#c") == content.link_key("https://news.example.org/a/b")
    assert content.link_key("/?page_id=103", SITE) == "news.example.org/?page_id=103"
    assert content.link_key("/search?q=x", SITE) == "news.example.org/search?q=x"


# --- Text stays text -------------------------------------------------------------------------------
def test_text_that_looks_like_markup_stays_text():
    html = rendered("<p>Use &lt;script&gt; tags, 2 * 3 = 6, snake_case and #1 &amp;copy;</p>\n<p>1. Not a list</p>")
    assert html == ("<p>Use &lt;script&gt; tags, 2 * 3 = 6, snake_case and #1 &amp;copy;</p>\n<p>1. Not a list</p>")


def test_non_ascii_text_is_kept():
    assert rendered("بہت اچھا مضمون — “quoted” ‘text’") == "<p>بہت اچھا مضمون — “quoted” ‘text’</p>"


def test_a_body_heading_h1_becomes_h2():
    assert rendered("<h1>Top</h1>\n\nText") == "<h2>Top</h2>\n<p>Text</p>"


def test_inline_tags_markdown_lacks_are_kept_as_html():
    html = rendered("H<sub>2</sub>O, E=mc<sup>2</sup>, <del>old</del> <ins>new</ins>, <u>u</u> and <mark>m</mark>")
    assert html == "<p>H<sub>2</sub>O, E=mc<sup>2</sup>, <del>old</del> <ins>new</ins>, <u>u</u> and <mark>m</mark></p>"


def test_a_table_stays_a_table_with_its_spans():
    table = '<table class="x"><tr><th colspan="2" style="c">Price</th></tr>\n<tr><td>a</td><td>b</td></tr></table>'
    html = rendered(table)
    assert html == '<table><tbody><tr><th colspan="2">Price</th></tr><tr><td>a</td><td>b</td></tr></tbody></table>'


def test_scripts_styles_and_iframes_are_dropped():
    html = rendered(
        '<p>Text<script>alert(1)</script><iframe src="https://v.example/"></iframe> end</p><style>p{}</style>'
    )
    assert html == "<p>Text end</p>"


def test_empty_content_is_an_empty_body():
    body = content.convert("")
    assert body.markdown == "\n"
    assert body.images == []


def test_nested_lists_stay_nested():
    html = rendered("<ul><li>a<ul><li>b<ol><li>c</li></ol></li></ul></li><li>d</li></ul>")
    assert html == "<ul>\n<li>a<ul>\n<li>b<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n</li>\n<li>d</li>\n</ul>"


def test_a_list_item_of_several_paragraphs_does_not_swallow_the_next_item():
    html = rendered('<ol start="3"><li>x<p>para</p></li><li>y</li></ol>')
    assert html == '<ol start="3">\n<li>\n<p>x</p>\n<p>para</p>\n</li>\n<li>\n<p>y</p>\n</li>\n</ol>'


def test_a_line_that_starts_like_a_quote_or_list_item_stays_text():
    assert rendered("Line\n&gt; not quote\n- not list") == "<p>Line<br>\n&gt; not quote<br>\n- not list</p>"


def test_fetched_audio_and_video_become_html5_players_of_this_sites_files():
    local = {
        f"{SITE}/wp-content/uploads/2016/08/interview.mp3": "/media/wordpress/2016/08/interview.mp3",
        "https://news.example.org/a.ogg": "/media/wordpress/a.ogg",
    }
    html = (
        f'[audio mp3="{SITE}/wp-content/uploads/2016/08/interview.mp3"][/audio]\n\n'
        '<!-- wp:audio --><figure class="wp-block-audio"><audio controls src="https://news.example.org/a.ogg">'
        "</audio></figure><!-- /wp:audio -->\n\n"
        '[video mp4="https://news.example.org/clip.mp4"]'
    )
    body = content.convert(html, context=shortcodes.Context(media_url=local.get))
    rendered_html = render_markdown(body.markdown)
    assert (
        '<audio controls="" preload="metadata" src="/media/wordpress/2016/08/interview.mp3"></audio>' in rendered_html
    )
    assert '<audio controls="" preload="metadata" src="/media/wordpress/a.ogg"></audio>' in rendered_html
    assert ">Video: clip.mp4</a>" in rendered_html
    assert (body.players, body.media_links) == (2, 1)


def test_a_players_file_must_be_this_sites_media():
    rendered_html = render_markdown('<audio src="https://elsewhere.example/x.mp3" controls></audio>')
    assert rendered_html == '<p><audio controls=""></audio></p>'
    assert 'src="/media/x.mp4"' in render_markdown('<video src="/media/x.mp4" controls onplay="steal()"></video>')
    assert "onplay" not in render_markdown('<video src="/media/x.mp4" controls onplay="steal()"></video>')
