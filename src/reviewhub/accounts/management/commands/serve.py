"""Serve ReviewHub with gunicorn (production-grade), or Django's reloading server with --reload."""

import os
import re

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

ADDRESS = re.compile(r"^(?:(?P<host>[0-9.]+|\[[0-9a-fA-F:]+\]|localhost):)?(?P<port>\d{1,5})$")


class Command(BaseCommand):
    help = (
        "Serve ReviewHub on ADDRESS:PORT (default 127.0.0.1:8000) with gunicorn and WhiteNoise. "
        "--reload runs Django's development server, which reloads on code changes."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--reload", action="store_true", help="development server")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the background-task worker (run `reviewhub db_worker` elsewhere)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("WEB_CONCURRENCY", "3")),
            help="gunicorn worker processes (default 3, or WEB_CONCURRENCY)",
        )

    def handle(self, *args, address, reload, workers, no_worker=False, **options):
        from reviewhub.checks import require_safe_configuration

        try:
            require_safe_configuration()
        except Exception as exc:
            raise CommandError(str(exc))
        match = ADDRESS.match(address)
        if not match or not 0 < int(match["port"]) < 65536:
            raise CommandError(f"'{address}' is not an address: use PORT or HOST:PORT.")
        host = match["host"] or "127.0.0.1"
        port = int(match["port"])
        if not 1 <= workers <= 64:
            raise CommandError("--workers must be between 1 and 64.")
        if not no_worker:
            _start_worker(self.stdout)
        if reload:
            call_command("runserver", f"{host}:{port}")
            return
        from django.conf import settings
        from gunicorn.app.base import BaseApplication

        if not settings.DEBUG:
            # Production serves hashed, compressed static files from STATIC_ROOT: collect them.
            call_command("collectstatic", interactive=False, verbosity=0)

        from reviewhub.wsgi import application

        class ReviewHubServer(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", 2)
                self.cfg.set("timeout", 120)
                self.cfg.set("accesslog", "-")
                # Address, time, request line, status, size, duration and the request id that
                # links the line to the application log and audit events (SECURITY.md).
                self.cfg.set(
                    "access_log_format",
                    '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s',
                )
                self.cfg.set("limit_request_line", 8190)
                self.cfg.set("limit_request_field_size", 8190)
                self.cfg.set(
                    "forwarded_allow_ips", os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
                )

            def load(self):
                return application

        self.stdout.write(f"ReviewHub serving on http://{host}:{port}/ (Ctrl+C to stop)")
        ReviewHubServer().run()


def _start_worker(stdout) -> None:
    """Run the background-task worker beside the web server, and stop it when the server stops.

    One machine then needs one command; larger deployments run `reviewhub db_worker` on other
    machines and pass --no-worker here.
    """
    import atexit
    import subprocess
    import sys

    worker = subprocess.Popen([sys.executable, "-m", "reviewhub", "db_worker"])
    atexit.register(worker.terminate)
    stdout.write(f"Background-task worker started (pid {worker.pid}).")
