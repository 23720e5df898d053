from clipdeck.kernel.personal_data import DataClass, Retention, declare
from clipdeck.runtime.models import WorkerHeartbeat

INT = DataClass.INTERNAL
UNTIL_STOPPED = "Until the worker stops, or a day after its last heartbeat."

declare(
    WorkerHeartbeat,
    {
        "worker_id": (INT, "Which worker runs a task.", UNTIL_STOPPED),
        "host": (INT, "Which machine a worker runs on.", UNTIL_STOPPED),
        "pid": (INT, "Which process a worker is.", UNTIL_STOPPED),
        "started_at": (INT, "Operations: worker uptime.", UNTIL_STOPPED),
        "last_seen": (INT, "Finding workers that died mid-task.", Retention.OPERATIONAL),
    },
)
