import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.runtime import tune_gc_for_serving  # noqa: E402 - needs the apps loaded above

tune_gc_for_serving()
