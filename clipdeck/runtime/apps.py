from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """Processes, workers, health, metrics and logs of a running cell.

    The label stays ``core`` so that existing databases keep their migration
    history and the worker heartbeat table (``core_workerheartbeat``).
    """

    name = "clipdeck.runtime"
    label = "core"
    verbose_name = "Clipdeck runtime"

    def ready(self) -> None:
        from django_tasks_db.compat import task_finished

        from clipdeck.runtime.metrics import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="clipdeck.runtime.metrics.tasks")
