"""What search engines, feed readers and link previews read about an article: absolute URLs
and schema.org JSON-LD."""

from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.translation import get_language


def absolute_url(request, path):
    """`path` on the site's configured domain (the Sites framework), as feeds and the sitemap use."""
    return f"{request.scheme}://{get_current_site(request).domain}{path}"


def featured_or_card_url(article):
    """The article's image for link previews: its featured image, else its generated social card."""
    return article.featured_image.largest_url() if article.featured_image_id else article.get_social_card_url()


def article_json_ld(request, article):
    """A schema.org NewsArticle for `article`, as a dict ready for json_script."""
    site = get_current_site(request)
    origin = absolute_url(request, "")
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": origin + article.get_absolute_url()},
        "headline": article.title[:110],
        "description": article.excerpt,
        "image": [origin + featured_or_card_url(article)],
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.last_updated_at().isoformat(),
        "author": {"@type": "Person", "name": article.author.name, "url": origin + article.author.get_absolute_url()},
        "publisher": {"@type": "Organization", "name": site.name, "url": origin + reverse("blog:home")},
        "commentCount": article.comment_count,
        "inLanguage": get_language(),
    }
