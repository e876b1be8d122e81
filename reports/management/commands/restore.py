"""manage.py restore FILE — load a backup into an empty database (migrate it first)."""

from django.core.management.base import BaseCommand

from reports.backup import backup_restore


class Command(BaseCommand):
    help = "Load a backup made by manage.py backup into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        numbers = backup_restore(options["file"], using=options["database"])
        self.stdout.write(
            f"Restored {sum(numbers.values())} rows into {len(numbers)} tables from "
            f"{options['file']}."
        )
