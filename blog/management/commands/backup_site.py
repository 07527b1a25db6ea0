from django.core.management.base import BaseCommand, CommandError

from blog.backups import ToolMissing, create_backup, default_backup_path


class Command(BaseCommand):
    help = "Back up the whole site (database and uploaded media) into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Archive to write (default: backups/site-<time>.tar.gz).")

    def handle(self, *args, output, **options):
        try:
            path = create_backup(output or default_backup_path())
        except (ToolMissing, FileExistsError) as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
