import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.management.base import BaseCommand, CommandError

from wordpress import wxr
from wordpress.importer import CONFLICT_CHOICES, PINGBACK_CHOICES, Options, import_export, read_author_map
from wordpress.media import MediaRefused, media_source


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools → Export, WXR 1.1 or 1.2): authors, categories, tags, posts, pages, media, "
        "comments and redirects from the old addresses. Safe to run again with the same or a newer export: it "
        "updates what changed on WordPress, adds what is new, and leaves alone what an editor changed or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", help="The WXR file WordPress wrote.")
        parser.add_argument("--dry-run", action="store_true", help="Report what would be imported; change nothing.")
        parser.add_argument(
            "--media-from",
            default="",
            metavar="URL_OR_DIR",
            help="Where attachments are read: the old site's address (https://…), or a local copy of "
            "wp-content/uploads. Without it no media is fetched (the report lists it).",
        )
        parser.add_argument(
            "--author-map",
            metavar="FILE",
            help="JSON or CSV mapping WordPress logins to existing authors (by slug) and/or giving a name and bio. "
            'JSON: {"alison": "alison-johnson", "bilal": {"name": "Bilal Ahmed", "bio": "…"}}; '
            "CSV: columns login, author, name, bio.",
        )
        parser.add_argument(
            "--link-accounts",
            action="store_true",
            help="Link each imported author profile to the existing account with the same email (one active "
            "account, not yet linked to another author), so that person signs in and writes as that author.",
        )
        parser.add_argument(
            "--on-conflict",
            choices=CONFLICT_CHOICES,
            default="rename",
            help="When a post or page's slug is taken by an object not imported from this site: "
            "rename (default: keep the existing one, import the WordPress one under a free slug with its comments "
            "and redirects); skip (do not import it); replace-unedited (import into the existing one if nobody "
            "edited it since it was made, else rename).",
        )
        parser.add_argument(
            "--pingbacks",
            choices=PINGBACK_CHOICES,
            default="skip",
            help="Pingbacks and trackbacks: skip (default) or store them hidden (never shown to readers).",
        )
        parser.add_argument(
            "--timezone",
            default="",
            help="The WordPress site's timezone (IANA name, e.g. Asia/Karachi) for dates the export gives only in "
            "local time. Default: the offset the export's own dates show, else TIME_ZONE.",
        )

    def handle(self, *args, **options):
        if options["timezone"]:
            check_timezone(options["timezone"])
        author_map = author_map_from(options["author_map"]) if options["author_map"] else {}
        if options["media_from"]:
            check_media_source(options["media_from"])
        started = time.monotonic()
        export = parse_export(options["export"])
        report = import_export(
            export,
            Options(
                dry_run=options["dry_run"],
                media_from=options["media_from"],
                author_map=author_map,
                on_conflict=options["on_conflict"],
                pingbacks=options["pingbacks"],
                timezone=options["timezone"],
                link_accounts=options["link_accounts"],
            ),
            progress=self.progress if options["verbosity"] else None,
        )
        if options["verbosity"]:
            for line in report.lines():
                self.stdout.write(line)
            self.stdout.write(f"  time: {time.monotonic() - started:.1f} s")

    def progress(self, done, total):
        if done == total or done % 50 == 0:
            self.stderr.write(f"Imported {done} of {total} posts and pages", ending="\n" if done == total else "\r")


def check_timezone(name):
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise CommandError(f"Unknown timezone “{name}”.") from error


def author_map_from(path):
    try:
        return read_author_map(path)
    except (OSError, ValueError, KeyError) as error:
        raise CommandError(f"Cannot read the author map {path}: {error}") from error


def check_media_source(source):
    try:
        media_source(source, max_bytes=0)
    except MediaRefused as error:
        raise CommandError(str(error)) from error


def parse_export(path):
    try:
        return wxr.parse(path)
    except FileNotFoundError as error:
        raise CommandError(f"No file {path}.") from error
    except wxr.WXRError as error:
        raise CommandError(f"{path} cannot be imported: {error} Nothing was changed.") from error
