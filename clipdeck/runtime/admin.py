"""Back office for background tasks: their state, never their arguments or results.

A task's arguments, return value and traceback can carry what it worked on
(an id, a file name, a value in an error message). The list and the detail
page show the task's name, state, queue and times, and the exception's class.
"""

from django.contrib import admin
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

SHOWN = (
    "id",
    "task_path",
    "status",
    "queue_name",
    "priority",
    "backend_name",
    "enqueued_at",
    "started_at",
    "finished_at",
    "exception_class_path",
    "worker_ids",
)


class TaskStateAdmin(DBTaskResultAdmin):
    search_fields = ("task_path",)

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        names = {field.name for field in self.model._meta.fields}
        return [name for name in SHOWN if name in names]

    def get_fields(self, request, obj=None) -> list[str]:
        return self.get_readonly_fields(request, obj)


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskStateAdmin)
