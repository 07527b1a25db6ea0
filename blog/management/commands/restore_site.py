from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from blog.backups import ToolMissing, create_backup, default_backup_path, restore_backup
from config.cachetags import invalidate_site_pages


class Command(BaseCommand):
    help = "Restore the whole site (database and media) from a backup; the current state is backed up first."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A .tar.gz made by backup_site.")

    def handle(self, *args, archive, **options):
        if not Path(archive).is_file():
            raise CommandError(f"No backup file at {archive}")
        try:
            safety = create_backup(default_backup_path().with_name(f"pre-restore-{default_backup_path().name}"))
            self.stdout.write(f"Current state saved to {safety} before restoring.")
            restore_backup(archive)
        except ToolMissing as error:
            raise CommandError(error) from error
        invalidate_site_pages()  # Cached pages show the site as it was before the restore.
        self.stdout.write(self.style.SUCCESS(f"Restored the site from {archive}"))
