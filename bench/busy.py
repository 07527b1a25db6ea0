"""`make bench`'s busy site: readers of 100 articles while others comment and an editor approves.

BENCH_ROUNDS rounds of static, quiet and busy in turn (each case reported by its median round), through
deploy/nginx.conf as shipped in front of gunicorn with the page cache in Redis:

- seed: 100 published articles (bench-article-000 .. 099, the bench article's text) with 20 approved comments
  each, 10 threads of a comment and a reply (bulk inserts, then each article's totals recounted);
- static: nginx serving these pages' bytes as files at the same paths, read with the same wrk script (the ceiling);
- quiet: wrk readers spread at random over the 100 articles, every request with cookies of its own
  (bench/articles.lua), once every page has been read (rendered and cached) once;
- busy: the same readers for max(BENCH_SECONDS, 10) s while, in threads of this process, a new reader (new name
  and email) posts a first comment on a random article every POST_EVERY seconds through the real form (held for
  moderation: a first comment from an unknown address), an editor signed in to /admin/ approves each held
  comment from the admin's comment list at once, and after each approval a new reader (a cookie of its own,
  no session) reloads the article until the comment shows: "approved comment visible to a new reader".

Every request goes over HTTP through nginx, as a browser's would. All readers come from 127.0.0.1, so the app
server gets a comment rate limit far above the posting rate; everything else is the production settings
(page cache on, first comments held, COMMENTS_MIN_SECONDS_TO_SUBMIT: a commenter reads that long before posting)
except two-factor sign-in for the admin, which a script cannot do (ADMIN_REQUIRE_2FA=0). Skipped, and said so,
without wrk, nginx or Redis (REDIS_URL, default redis://127.0.0.1:6379/0).
"""

import os
import queue
import random
import re
import secrets
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from bench.run import (
    PORT,
    ROUNDS,
    SECONDS,
    SLUG,
    invalidate_cached_pages,
    log,
    measure,
    median_round,
    start_gunicorn,
    start_nginx,
    stop,
)
from tests.forms import form_data
from tests.nginx import nginx_in_front

ARTICLES = 100
THREADS_EACH = 10  # Each a comment and one reply: 20 comments an article.
SLUG_PREFIX = "bench-article-"
BUSY_SECONDS = max(SECONDS, 10)
POST_EVERY = 0.5  # A new reader's first comment every half second.
VISIBLE_WAIT = 10  # Seconds a new reader reloads an approved comment's article before it counts as never shown.
RELOAD_EVERY = 0.05
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
EDITOR = "bench-editor"
CHANGELIST = "/admin/django_comments_xtd/xtdcomment/"
FORM_ACTION = re.compile(r'<form id="comment-form"[^>]*\baction="([^"]*)"')
LISTED_COMMENT = re.compile(r'name="_selected_action" value="(\d+)"')
# Rates: to the static file of the same run.
TARGETS = {"quiet": 0.8, "busy": 0.6}
MAX_BUSY_P99_MS = 100
MAX_VISIBLE_SECONDS = 1.0


# --- Set-up -------------------------------------------------------------------


def redis_reachable(url):
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def redis_caches(url, prefix):
    """Django's CACHES for the app server's page cache, so this process invalidates the same pages."""
    return {
        "default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": url, "KEY_PREFIX": prefix},
    }


def forget_cached_pages(url, prefix):
    import redis

    client = redis.Redis.from_url(url)
    if keys := list(client.scan_iter(match=f"{prefix}:*")):
        client.delete(*keys)


def seed(redis_url, prefix):
    """The 100 articles, each with 20 approved comments (10 threads of two); their paths. Replaces earlier ones."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.test.utils import override_settings
    from django_comments_xtd.models import XtdComment

    from blog.models import Article, ArticleUpdate
    from comments.totals import recount_comments, recount_once_per_article

    content_type = ContentType.objects.get_for_model(Article)
    with transaction.atomic(), recount_once_per_article():
        earlier = Article.objects.filter(slug__startswith=SLUG_PREFIX)
        pks = [str(pk) for pk in earlier.values_list("pk", flat=True)]
        XtdComment.norel_objects.filter(content_type=content_type, object_pk__in=pks).delete()
        earlier.delete()

    source = Article.objects.get(slug=SLUG)
    first_day = source.published_at.replace(year=2015, month=1, day=1)  # Older than the site's own articles.
    articles = []
    for number in range(ARTICLES):
        article = Article(
            title=f"Bench article {number:03d}",
            slug=f"{SLUG_PREFIX}{number:03d}",
            author=source.author,
            summary=source.summary,
            body=source.body,
            featured_image=source.featured_image,
            status=Article.Status.PUBLISHED,
            published_at=first_day.replace(day=1 + number % 28, month=1 + number // 28),
        )
        article.render_body()  # What save() does; bulk_create does not call it.
        article.last_updated_on = article.publication_date()
        articles.append(article)
    with transaction.atomic():
        Article.objects.bulk_create(articles)
        ArticleUpdate.objects.bulk_create(ArticleUpdate(article=a, date=a.last_updated_on) for a in articles)
        seed_comments(articles, content_type)
    for article in articles:
        recount_comments(article.pk)  # Bulk inserts send no signals.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE django_comments, django_comments_xtd_xtdcomment")  # As autovacuum soon would.
    with override_settings(PAGE_CACHE=True, CACHES=redis_caches(redis_url, prefix)):
        invalidate_cached_pages()
    return [article.get_absolute_url() for article in articles]


def seed_comments(articles, content_type):
    """THREADS_EACH threads of a comment and its reply on each article, in two bulk inserts (as seed_comments)."""
    from django.contrib.sites.models import Site
    from django.db import connection
    from django.utils import timezone
    from django_comments.models import Comment

    count = len(articles) * THREADS_EACH * 2
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Comment._meta.db_table, count],
        )
        ids = iter([row[0] for row in cursor.fetchall()])
    site, now = Site.objects.get_current(), timezone.now()
    comments, places = [], []
    for article in articles:
        for _ in range(THREADS_EACH):
            top = next(ids)
            for pk, parent, level in ((top, top, 0), (next(ids), top, 1)):
                comments.append(
                    Comment(
                        id=pk,
                        content_type=content_type,
                        object_pk=str(article.pk),
                        site=site,
                        user_name=f"Reader {pk}",
                        user_email=f"reader{pk}@example.com",
                        comment="Thanks for the clear write-up." if level else "The battery still lasts two days.",
                        submit_date=now,
                        is_public=True,
                        is_removed=False,
                    )
                )
                # comment_ptr_id, thread_id, parent_id, level, order, nested_count, followup
                places.append((pk, top, parent, level, level + 1, 1 - level, False))
    Comment.objects.bulk_create(comments, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO django_comments_xtd_xtdcomment "
            '(comment_ptr_id, thread_id, parent_id, level, "order", nested_count, followup) '
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            places,
        )


def create_editor():
    """A staff member of the Editors group with a new password; (username, password)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    password = secrets.token_urlsafe(16)
    user, _ = get_user_model().objects.update_or_create(
        username=EDITOR, defaults={"email": "bench-editor@example.com", "is_staff": True, "is_active": True}
    )
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return EDITOR, password


def page_bytes(path):
    """The article page's bytes, rendered in this process (the static file's content)."""
    from django.test import Client
    from django.test.utils import override_settings

    with override_settings(PAGE_CACHE=False):
        response = Client().get(path)
    assert response.status_code == 200, response.status_code
    return response.content


def warm_up(proxy, paths):
    """Every article page once through nginx, a few at a time, so each is rendered and cached before the quiet
    run, as on a site that has been up a while (their first renders would take the quiet run's first seconds)."""
    with ThreadPoolExecutor(4) as pool:
        statuses = set(pool.map(lambda path: requests.get(proxy + path, timeout=30).status_code, paths))
    if statuses != {200}:
        raise RuntimeError(f"the seeded articles answered {sorted(statuses)} through nginx, not 200")


def server_env(redis_url, prefix):
    return {
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,
        "NUM_PROXIES": "1",  # nginx in front.
        "ADMIN_REQUIRE_2FA": "0",  # The bench's editor signs in with a password only.
        "COMMENTS_CONFIRM_EMAIL": "0",  # Comments are stored at once (held), not after a mail.
        "COMMENTS_HOLD_FIRST_COMMENT": "1",
        "COMMENTS_HELD_NOTIFY_EMAILS": "",
        "COMMENTS_RATE_LIMIT": "1000000",  # Every reader here comes from 127.0.0.1.
        "PAGE_CACHE_REFRESH_URL": f"http://127.0.0.1:{PORT + 3}",  # nginx in front, as docs/deploy.md sets it.
    }


# --- Commenters and the editor ------------------------------------------------------


def log_in(proxy, username, password):
    """A requests session signed in to the admin through nginx (the log-in form and its CSRF token)."""
    editor = requests.Session()
    data = form_data(editor.get(f"{proxy}/admin/login/", timeout=10), "login-form")
    data.update(username=username, password=password)
    response = editor.post(
        f"{proxy}/admin/login/?next=/admin/", data=data, headers={"Origin": proxy}, allow_redirects=False, timeout=10
    )
    if response.status_code != 302 or "sessionid" not in editor.cookies:
        raise RuntimeError(f"the bench editor could not sign in to /admin/ (HTTP {response.status_code})")
    return editor


def new_reader(number):
    """A reader's browser: no session, only a cookie of its own that means nothing to the site."""
    reader = requests.Session()
    reader.cookies.set("_ga", f"GA1.2.{secrets.randbelow(10**9)}.{number}")
    return reader


@dataclass
class Held:
    pk: int
    path: str
    text: str
    held_at: float  # time.monotonic() when the post was answered.


class Activity:
    """Commenters, one every POST_EVERY seconds; an editor approving what they post; new readers watching for it."""

    def __init__(self, proxy, paths, editor, min_seconds_to_submit):
        self.proxy, self.paths, self.editor = proxy, paths, editor
        self.typing_seconds = min_seconds_to_submit + 0.1  # Quicker posts are refused as a bot's.
        self.run = secrets.token_hex(4)  # New email addresses on every bench run: first comments all.
        self.held = queue.Queue()
        self.lock = threading.Lock()
        self.posted, self.approval_delays, self.visible, self.failures = 0, [], [], []
        self.commenters, self.watchers = [], []
        self.no_more_posts = threading.Event()

    def start(self, *, post_until):
        self.scheduler = self._thread(self._schedule_commenters, post_until)
        self.approver = self._thread(self._approve_held)

    def finish(self):
        """Wait for every comment under way to be posted, approved and seen (or given up on)."""
        self.scheduler.join()
        for commenter in self.commenters:
            commenter.join()
        self.no_more_posts.set()
        self.approver.join()
        for watcher in self.watchers:
            watcher.join()
        return {
            "posted": self.posted,
            "approved": len(self.approval_delays),
            "approval_delays": self.approval_delays,
            "visible": self.visible,
            "failures": self.failures,
        }

    def _thread(self, target, *args):
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        return thread

    def _failed(self, message):
        with self.lock:
            self.failures.append(message)
        if len(self.failures) <= 3:
            log(f"bench: busy site: {message}")

    def _schedule_commenters(self, post_until):
        number = 0
        began = time.monotonic()
        while time.monotonic() < post_until:
            self.commenters.append(self._thread(self._comment, number))
            number += 1
            time.sleep(max(0.0, began + number * POST_EVERY - time.monotonic()))

    def _comment(self, number):
        """A new reader opens a random article, writes for a few seconds and posts a first comment (held)."""
        path = random.choice(self.paths)
        reader = new_reader(number)
        text = f"Busy reader {number} says {secrets.token_hex(8)}"
        try:
            page = reader.get(self.proxy + path, timeout=10)
            data = form_data(page, "comment-form")
            action = urljoin(self.proxy + path, FORM_ACTION.search(page.text).group(1))
            time.sleep(self.typing_seconds)
            data.update(name=f"Busy Reader {number}", email=f"busy-{self.run}-{number}@example.com", comment=text)
            headers = {"Origin": self.proxy, "Sec-Fetch-Site": "same-origin"}
            response = reader.post(action, data=data, headers=headers, allow_redirects=False, timeout=10)
            held = parse_qs(urlsplit(response.headers.get("Location", "")).query).get("unapproved")
            if response.status_code != 302 or not held:
                raise ValueError(f"answered {response.status_code}, Location {response.headers.get('Location')!r}")
        except (requests.RequestException, ValueError, AttributeError) as error:
            self._failed(f"comment {number} on {path} not posted as held: {error}")
            return
        with self.lock:
            self.posted += 1
        self.held.put(Held(int(held[0]), path, text, time.monotonic()))

    def _approve_held(self):
        """The editor: each held comment, as it arrives, approved from the admin's list of held comments."""
        while not (self.no_more_posts.is_set() and self.held.empty()):
            try:
                batch = [self.held.get(timeout=0.1)]
            except queue.Empty:
                continue
            while not self.held.empty():
                batch.append(self.held.get_nowait())
            try:
                self._approve(batch)
            except (requests.RequestException, ValueError) as error:
                self._failed(f"{len(batch)} held comments not approved: {error}")

    def _approve(self, batch):
        url = f"{self.proxy}{CHANGELIST}?status=held"
        listing = self.editor.get(url, timeout=10)
        listed = {int(pk) for pk in LISTED_COMMENT.findall(listing.text)}
        chosen = [held for held in batch if held.pk in listed]
        for held in batch:
            if held.pk not in listed:
                self._failed(f"held comment {held.pk} is not in the admin's list of held comments")
        if not chosen:
            return
        data = form_data(listing, "changelist-form")
        data.update(action="approve", index="0", _selected_action=[str(held.pk) for held in chosen])
        response = self.editor.post(url, data=data, headers={"Origin": self.proxy}, allow_redirects=False, timeout=10)
        if response.status_code != 302:
            raise ValueError(f"the approve action answered {response.status_code}")
        approved_at = time.monotonic()
        with self.lock:
            self.approval_delays.extend(approved_at - held.held_at for held in chosen)
        self.watchers.extend(self._thread(self._watch, held, approved_at) for held in chosen)

    def _watch(self, held, approved_at):
        """A new reader reloads the article through nginx until the approved comment is on it."""
        reader = new_reader(held.pk)
        while time.monotonic() < approved_at + VISIBLE_WAIT:
            try:
                if held.text in reader.get(self.proxy + held.path, timeout=5).text:
                    seconds = time.monotonic() - approved_at
                    break
            except requests.RequestException:
                pass
            time.sleep(RELOAD_EVERY)
        else:
            seconds = None
        with self.lock:
            self.visible.append(seconds)


# --- The scenario -------------------------------------------------------------------


def run(*, wrk, nginx, workdir):
    """Seed, start the servers and measure static, quiet and busy in one run: the figures, or why it was skipped."""
    from django.conf import settings

    if not (wrk and nginx):
        return {"skipped": "needs wrk and nginx"}
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if not redis_reachable(redis_url):
        log(f"bench: busy site skipped: Redis is not reachable at {redis_url}")
        return {"skipped": f"Redis not reachable at {redis_url}"}
    prefix = f"{os.environ['CACHE_KEY_PREFIX']}-busy"
    started = time.monotonic()
    paths = seed(redis_url, prefix)
    username, password = create_editor()
    static_root = write_static_copies(workdir / "busy-static", paths)
    page = static_root / "page.html"
    log(
        f"bench: busy site: seeded {ARTICLES} articles x {THREADS_EACH * 2} comments in "
        f"{time.monotonic() - started:.1f}s; page {page.stat().st_size:,} bytes"
    )
    servers = []
    with ExitStack() as stack:
        try:
            env = server_env(redis_url, prefix)
            servers.append(start_gunicorn(PORT, page_cache=True, floor_file=page, workdir=workdir, env=env))
            servers.append(start_nginx(nginx, PORT + 2, static_root, workdir))
            proxy = stack.enter_context(nginx_in_front(f"127.0.0.1:{PORT}", port=PORT + 3))
            warm_up(proxy, paths)
            editor = log_in(proxy, username, password)
            figures = measure_rounds(wrk, proxy, f"http://127.0.0.1:{PORT + 2}", paths, editor, settings)
        finally:
            for server in servers:
                stop(server)
            forget_cached_pages(redis_url, prefix)
    return figures


def write_static_copies(root, paths):
    """Each article page's bytes as a file at the same path (…/index.html), rendered in this process: the static
    case reads the same 100 addresses with the same wrk script as the readers. The first is also page.html."""
    for path in paths:
        folder = root / path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "index.html").write_bytes(page_bytes(path))
    (root / "page.html").write_bytes(page_bytes(paths[0]))
    return root


def measure_rounds(wrk, proxy, static_url, paths, editor, settings):
    """BENCH_ROUNDS rounds of static, quiet and busy in turn (a slow spell on a shared machine then hits each
    alike); each reported by its median round, the comments' figures from every busy round."""
    readers = {"wrk": wrk, "script": "articles.lua", "args": [str(ARTICLES)]}
    rounds = {"static": [], "quiet": [], "busy": []}
    activities = []
    for number in range(ROUNDS):
        log(f"bench: busy site: round {number + 1} of {ROUNDS}: static, quiet, busy ({BUSY_SECONDS}s) ...")
        rounds["static"].append(measure(url=f"{static_url}/", warm_up=number == 0, **readers))
        rounds["quiet"].append(measure(url=f"{proxy}/", warm_up=number == 0, **readers))
        activity = Activity(proxy, paths, editor, settings.COMMENTS_MIN_SECONDS_TO_SUBMIT)
        # Commenters start now and post from typing_seconds on; the readers start once posts are landing and
        # outlast the last one (and its approval), so every comment is posted and approved under their load.
        activity.start(post_until=time.monotonic() + BUSY_SECONDS)
        time.sleep(activity.typing_seconds + 1)
        rounds["busy"].append(measure(url=f"{proxy}/", warm_up=False, seconds=BUSY_SECONDS, **readers))
        activities.append(activity.finish())
    figures = {name: median_round(results) for name, results in rounds.items()}
    for key in ("posted", "approved"):
        figures[key] = sum(activity[key] for activity in activities)
    for key in ("approval_delays", "visible", "failures"):
        figures[key] = [value for activity in activities for value in activity[key]]
    return figures


# --- Report ---------------------------------------------------------------------


def visibility(times):
    """Median and max seconds until approved comments showed, over those that did; how many never did."""
    seen = sorted(seconds for seconds in times if seconds is not None)
    return {
        "median": statistics.median(seen) if seen else None,
        "max": seen[-1] if seen else None,
        "seen": len(seen),
        "unseen": len(times) - len(seen),
    }


def verdict(ok):
    return "met" if ok else "MISSED"


def visibility_text(figures):
    shown = visibility(figures["visible"])
    if not figures["visible"]:
        return "approved comment visible to a new reader not measured (no comment approved)"
    if shown["unseen"]:
        never = f"{shown['unseen']} of {len(figures['visible'])} not within {VISIBLE_WAIT} s"
        seen = f"median {shown['median']:.2f} s of the rest, " if shown["seen"] else ""
        return f"approved comment visible to a new reader: {seen}{never} (target <= {MAX_VISIBLE_SECONDS:g} s: MISSED)"
    ok = shown["max"] <= MAX_VISIBLE_SECONDS
    return (
        f"approved comment visible to a new reader median {shown['median']:.2f} s, max {shown['max']:.2f} s "
        f"(target <= {MAX_VISIBLE_SECONDS:g} s: {verdict(ok)})"
    )


def summary_parts(figures):
    """The busy site's part of the SUMMARY line: each figure, with its target met or MISSED."""
    if "skipped" in figures:
        return [f"busy site not measured ({figures['skipped']})"]
    static = figures["static"]["rps"]
    parts = [f"busy site: static {static:,.0f} req/s"]
    for name, target in TARGETS.items():
        rate = figures[name]["rps"]
        ok = rate / static >= target
        parts.append(f"{name} {rate:,.0f} req/s {rate / static:.2f}x static (target {target}: {verdict(ok)})")
    busy = figures["busy"]
    parts.append(
        f"while busy p50 {busy['p50_ms']:.1f} ms, p99 {busy['p99_ms']:.1f} ms "
        f"(target <= {MAX_BUSY_P99_MS} ms: {verdict(busy['p99_ms'] <= MAX_BUSY_P99_MS)})"
    )
    parts.append(f"{figures['posted']} comments posted, {figures['approved']} approved")
    parts.append(visibility_text(figures))
    errors = sum(figures[name]["errors"] + figures[name]["non_2xx"] for name in ("static", "quiet", "busy"))
    if errors or figures["failures"]:
        parts.append(f"busy site errors: {errors} requests, {len(figures['failures'])} comment steps (see above)")
    return parts


def table_lines(figures):
    """The busy site's table: each run's rate, latency and ratio to the static file, then the comments."""
    if "skipped" in figures:
        return []
    static = figures["static"]["rps"]
    lines = [
        "",
        f"busy site: {ARTICLES} articles with {THREADS_EACH * 2} comments each through deploy/nginx.conf, "
        f"every request with cookies of its own; busy: a comment every {POST_EVERY}s, approved at once",
        f"{'run':<7} {'seconds':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x static':>8}  errors",
    ]
    for name in ("static", "quiet", "busy"):
        result = figures[name]
        lines.append(
            f"{name:<7} {result['seconds']:>7.1f} {result['rps']:>9,.0f} {result['p50_ms']:>8.2f} "
            f"{result['p99_ms']:>8.2f} {result['rps'] / static:>8.2f}  {result['errors'] + result['non_2xx']}"
        )
    delays = figures["approval_delays"]
    approval = f" (held to approved: max {max(delays):.2f} s)" if delays else ""
    lines.append(f"comments: {figures['posted']} posted, {figures['approved']} approved{approval}")
    lines.append(visibility_text(figures))
    return lines
