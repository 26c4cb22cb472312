"""Background work for documents (django-tasks: in-process in tests, database queue otherwise)."""

from django_tasks import task


@task()
def run_import_job(job_id: int) -> None:
    """Import the staged files of one bulk-import job."""
    from .services import import_job_run

    import_job_run(job_id)
