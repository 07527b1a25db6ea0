"""Create many realistic threaded comments on one article, fast, for demos and benchmarks."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django_comments.models import Comment
from django_comments_xtd.models import XtdComment

from blog.models import Article
from comments.queries import max_thread_level
from comments.totals import recount_comments

FIRST_NAMES = ["Amina", "Bilal", "Chloe", "Daniel", "Elena", "Farhan", "Grace", "Hassan", "Ines", "Jonas", "Kiran"]
LAST_NAMES = ["Ahmed", "Brown", "Costa", "Dubois", "Evans", "Fischer", "Gupta", "Haddad", "Ito", "Khan", "Lopez"]
SENTENCES = [
    "I bought one last year and the battery still lasts two days.",
    "The ban seems to be about import duties more than anything else.",
    "Does anyone know whether phones already sold will keep working?",
    "Thanks for the clear write-up, this explains a lot.",
    "My cousin in Lahore says the shops still have stock.",
    "PTA registration was painless for me, it took ten minutes.",
    "I would like to see a comparison with the other brands.",
    "Good point. The price difference is hard to ignore.",
    "Source? I read the opposite in the local press.",
    "Updated firmware fixed the camera issues on mine.",
]


class Command(BaseCommand):
    help = "Create COUNT threaded comments (bulk inserts) on the article SLUG, some by signed-in users."

    def add_arguments(self, parser):
        parser.add_argument("--article", required=True, help="slug of the article")
        parser.add_argument("--count", type=int, default=100)
        parser.add_argument("--depth", type=int, default=3, help="levels of nesting, 1 is top level only")
        parser.add_argument("--seed", type=int, default=None, help="random seed, for repeatable data")

    def handle(self, *args, article, count, depth, seed, **options):
        article = Article.objects.filter(slug=article).first()
        if article is None:
            raise CommandError("No article with that slug.")
        if count < 1 or not 1 <= depth <= max_thread_level() + 1:
            raise CommandError(f"--count must be positive and --depth between 1 and {max_thread_level() + 1}.")
        rng = random.Random(seed)
        with transaction.atomic():
            users = self.readers()
            rows = self.tree(rng, count, depth)
            self.insert(rng, article, rows, users)
        self.refresh_statistics()
        self.stdout.write(f"Created {count} comments on “{article.title}”.")

    def refresh_statistics(self):
        """ANALYZE the comment tables, as autovacuum would soon after a bulk load: until then PostgreSQL
        plans the thread's queries for the tables as they were (a benchmark run at once would measure that)."""
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Comment._meta.db_table}, {XtdComment._meta.db_table}")

    def readers(self):
        User = get_user_model()
        return [
            User.objects.get_or_create(username=f"reader{n}", defaults={"email": f"reader{n}@example.com"})[0]
            for n in range(1, 4)
        ]

    def tree(self, rng, count, depth):
        """Comments in creation order as dicts with parent index, level, thread order and descendants count."""
        rows = []
        while len(rows) < count:
            thread = [{"parent": None, "level": 0, "children": []}]
            for _ in range(min(rng.randint(0, 6), count - len(rows) - 1)):
                parent = rng.choice([node for node in thread if node["level"] < depth - 1] or [thread[0]])
                if parent["level"] >= depth - 1:
                    break
                node = {"parent": parent, "level": parent["level"] + 1, "children": []}
                parent["children"].append(node)
                thread.append(node)
            self.number(thread[0], iter(range(1, len(thread) + 1)))
            rows.extend(thread)
        return rows

    def number(self, node, orders):
        """Depth-first order (xtd's `order`) and descendant count (`nested_count`)."""
        node["order"] = next(orders)
        node["nested_count"] = sum(1 + self.number(child, orders) for child in node["children"])
        return node["nested_count"]

    def insert(self, rng, article, rows, users):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Comment._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        for row, pk in zip(rows, ids, strict=True):
            row["id"] = pk
        start = max(article.published_at, timezone.now() - datetime.timedelta(days=60))
        step = (timezone.now() - start) / (len(rows) + 1)
        content_type = ContentType.objects.get_for_model(Article)
        site = Site.objects.get_current()
        comments = []
        for index, row in enumerate(rows):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = rng.choice(users) if rng.random() < 0.1 else None
            comments.append(
                Comment(
                    id=row["id"],
                    content_type=content_type,
                    object_pk=str(article.pk),
                    site=site,
                    user=user,
                    user_name=user.username if user else f"{first} {last}",
                    user_email=user.email if user else f"{first}.{last}{index}@example.com".lower(),
                    user_url=f"https://{last.lower()}.example.com/" if rng.random() < 0.2 else "",
                    comment="\n\n".join(
                        " ".join(rng.sample(SENTENCES, rng.randint(1, 3))) for _ in range(rng.randint(1, 2))
                    ),
                    submit_date=start + step * (index + 1),
                    is_public=True,
                    is_removed=False,
                )
            )
        Comment.objects.bulk_create(comments, batch_size=2000)
        root_of = {}
        for row in rows:
            root_of[id(row)] = row["id"] if row["parent"] is None else root_of[id(row["parent"])]
        columns = {
            "comment_ptr_id": [row["id"] for row in rows],
            "thread_id": [root_of[id(row)] for row in rows],
            "parent_id": [row["parent"]["id"] if row["parent"] else row["id"] for row in rows],
            "level": [row["level"] for row in rows],
            '"order"': [row["order"] for row in rows],
            "nested_count": [row["nested_count"] for row in rows],
            "followup": [False] * len(rows),
        }
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {XtdComment._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 (fixed identifiers)
                "SELECT * FROM unnest("
                "%s::int[], %s::int[], %s::int[], %s::smallint[], %s::int[], %s::int[], %s::bool[])",
                list(columns.values()),
            )
        recount_comments(article.pk)  # Bulk inserts send no signals.
