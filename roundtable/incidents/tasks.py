"""Background work of incident imports: thin wrappers around services."""

from __future__ import annotations

from django_tasks import task

from roundtable.incidents import services_import


@task()
def import_incidents_task(run_id: int) -> str:
    """Import a queued upload (QUEUED -> RUNNING -> DONE or FAILED); the run's status."""
    run = services_import.incidents_import_stored(run_id=run_id)
    return run.status if run is not None else "skipped"
