"""The article page's one query: the article, its author and its update history in a single statement.

Plain SQL, as comments.thread.page_comments_sql, because it runs for every page rendered: the ORM's
select_related query plus a second query for the history cost about 1 ms of Python a page, several times
what PostgreSQL spends on them. Its articles are those of Article.objects.published() (or any article,
for staff previews) and its history that of article.updates.all(): tests compare them.
"""

import datetime
from functools import cache

from django.db import connection
from django.utils import timezone

from authors.models import Author

from .models import Article, ArticleUpdate

# Never shown on the page: the search index (a few KB of tsvector text a row).
ARTICLE_FIELDS = [field for field in Article._meta.concrete_fields if field.name != "search_vector"]
ARTICLE_ATTNAMES = frozenset(field.attname for field in ARTICLE_FIELDS)
UPDATE_ATTNAMES = ("id", "article_id", "date", "note")


@cache
def article_page_sql():
    article_columns = ", ".join(f'a."{field.column}"' for field in ARTICLE_FIELDS)
    author_columns = ", ".join(f'au."{field.column}"' for field in Author._meta.concrete_fields)
    return f"""
        SELECT {article_columns}, {author_columns},
               (SELECT COALESCE(json_agg(json_build_array(u.id, u.date, u.note) ORDER BY u.date DESC, u.id DESC),
                                '[]')
                FROM {ArticleUpdate._meta.db_table} u WHERE u.article_id = a.id)
        FROM {Article._meta.db_table} a JOIN {Author._meta.db_table} au ON au.id = a.author_id
        WHERE a.slug = %(slug)s
          AND (%(drafts)s OR (a.status = %(published)s AND a.published_at <= %(now)s))
    """  # noqa: S608 (table and column names from the models, values as parameters)


def article_for_page(slug, *, drafts=False):
    """The published article at `slug` (any article with `drafts`), its author and history loaded; else None."""
    with connection.cursor() as cursor:
        cursor.execute(
            article_page_sql(),
            {"slug": slug, "drafts": drafts, "published": Article.Status.PUBLISHED, "now": timezone.now()},
        )
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(ARTICLE_FIELDS)
    article = Article.from_db(connection.alias, ARTICLE_ATTNAMES, row[:split])
    article.author = Author.from_db(connection.alias, None, row[split:-1])
    article.update_history = [
        ArticleUpdate.from_db(
            connection.alias, UPDATE_ATTNAMES, (pk, article.pk, datetime.date.fromisoformat(date), note)
        )
        for pk, date, note in row[-1]
    ]
    return article
