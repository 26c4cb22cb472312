"""WSGI entry point (gunicorn serves ``reviewhub.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reviewhub.settings")
application = get_wsgi_application()

from reviewhub.checks import require_safe_configuration  # noqa: E402

require_safe_configuration()
