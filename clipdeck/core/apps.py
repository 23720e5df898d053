from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "clipdeck.core"
    label = "core"
    verbose_name = "Clipdeck core"

    def ready(self) -> None:
        from django_tasks_db.compat import task_finished

        from clipdeck.core.metrics import on_task_finished

        task_finished.connect(on_task_finished, dispatch_uid="clipdeck.core.metrics.tasks")
