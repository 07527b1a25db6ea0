"""Full-text search over published articles (PostgreSQL), ranked with title matches first."""

import re

from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db.models import F, Func, Value
from django.views.generic import ListView

from .models import Article

# Marks that cannot occur in article text: PostgreSQL puts them around each match in the snippet.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\x02", "\x03"
QUERY_MAX_LENGTH = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search articles",
        max_length=QUERY_MAX_LENGTH,
        strip=True,
        error_messages={
            "required": "Type a word or two to search for.",
            "max_length": "Please shorten your search to %(limit_value)d characters or fewer.",
        },
    )


def markdown_as_text(field):
    """The Markdown in `field` without quote, heading and emphasis marks (nor our highlight marks), for snippets."""
    pattern = r"^\s*(?:>\s*|#{1,6}\s+)|[*`\x02\x03]"
    return Func(F(field), Value(pattern), Value(""), Value("gn"), function="regexp_replace")


def search_articles(text):
    """Published articles matching `text` (web-search syntax), best first, each with a marked `headline`.

    Ranking weights follow the search vector: title (A) counts ten times the body (B).
    """
    query = SearchQuery(text, search_type="websearch", config="english")
    return (
        Article.objects.published()
        .filter(search_vector=query)
        .annotate(
            rank=SearchRank(F("search_vector"), query, weights=[0.0, 0.0, 0.1, 1.0]),
            headline=SearchHeadline(
                markdown_as_text("body"),
                query,
                config="english",
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .select_related("author", "featured_image")
        .order_by("-rank", "-published_at", "-pk")
    )


MARKDOWN_MARKS = re.compile(r"^\s*(?:>\s*|#{1,6}\s+)|[*`\x02\x03]", re.MULTILINE)  # As markdown_as_text.
ELLIPSIS = "…"


def _words(text):
    return " ".join(text.split())


def highlighted(headline, body=None):
    """The snippet as (text, is_match) parts, for the template to put matches in <mark>.

    With the article's `body`, an ellipsis starts the snippet when it does not start where the text does, and
    ends it when it stops before the text's end: a snippet never seems to start or end mid-sentence unannounced."""
    parts = []
    for index, piece in enumerate(re.split(f"[{HIGHLIGHT_START}{HIGHLIGHT_STOP}]", headline)):
        if piece:
            parts.append((piece, index % 2 == 1))
    if body is None or not parts:
        return parts
    text = _words(MARKDOWN_MARKS.sub("", body))
    fragments = _words(MARKDOWN_MARKS.sub("", headline)).split(" … ")
    if not text.startswith(fragments[0].rstrip(" .,;:")):
        parts.insert(0, (ELLIPSIS + " ", False))
    if not text.rstrip(" .").endswith(fragments[-1].rstrip(" .")):
        parts.append((" " + ELLIPSIS, False))
    return parts


class SearchView(ListView):
    """The results page: `?q=` words; an empty, junk or overlong query shows the form with a message."""

    template_name = "blog/search.html"
    context_object_name = "results"
    paginate_by = settings.BLOG_ARTICLES_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET) if "q" in request.GET else SearchForm()
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.form.is_valid():
            return Article.objects.none()
        return search_articles(self.form.cleaned_data["q"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(form=self.form, **kwargs)
        for article in context["results"]:
            article.snippet = highlighted(article.headline, article.body)
        context["query"] = self.form.cleaned_data.get("q", "") if self.form.is_bound else ""
        return context
