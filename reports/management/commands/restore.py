"""manage.py restore FILE — load a backup into an empty database (migrate it first).

All or nothing: a failure (a broken foreign key, a truncated file…) is one line on stderr, exit
status 1, and the database left as empty as it was."""

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
            f"Återställde {sum(numbers.values())} rader i {len(numbers)} tabeller från "
            f"{options['file']}."
        )
