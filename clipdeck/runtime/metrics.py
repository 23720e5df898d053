"""Prometheus metrics: request latency by route, feed latency, task and render
durations, queue depth and live workers, served at ``/metrics``.

Several processes (``clipdeck serve --workers N`` plus its task workers) write to
one ``PROMETHEUS_MULTIPROC_DIR`` that ``clipdeck serve``/``worker`` create before
anything imports ``prometheus_client``; a scrape of any web process then adds up
every process on the machine. Without that folder (tests, ``manage``), the
metrics live in this process only.

Queue depth and live workers are read from the database at scrape time, so they
are the same whichever process answers.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

# Up to a minute: uploads of large files are the slow end of ordinary requests.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
RENDER_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 900)

REQUEST_LATENCY = Histogram(
    "clipdeck_http_request_duration_seconds",
    "Time from request to response headers, by URL route.",
    ["route", "method", "status"],
    buckets=REQUEST_BUCKETS,
)
TASK_DURATION = Histogram(
    "clipdeck_task_duration_seconds",
    "Run time of background tasks, by task and outcome.",
    ["task", "status"],
    buckets=RENDER_BUCKETS,
)
RENDER_DURATION = Histogram(
    "clipdeck_render_duration_seconds",
    "Run time of successful render tasks.",
    buckets=RENDER_BUCKETS,
)
RENDER_TASK = "render_video"


class RequestMetricsMiddleware:
    """Observes every request's latency under its URL route (bounded label values)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = (match.route or match.view_name) if match else "unmatched"
        REQUEST_LATENCY.labels(
            route=route, method=request.method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response


def on_task_finished(sender, task_result, **kwargs) -> None:
    """``task_finished`` receiver: task (and render) durations."""
    if not (task_result.started_at and task_result.finished_at):
        return
    seconds = (task_result.finished_at - task_result.started_at).total_seconds()
    name = task_result.task.name
    TASK_DURATION.labels(task=name, status=str(task_result.status)).observe(seconds)
    if name == RENDER_TASK and str(task_result.status).endswith("SUCCESSFUL"):
        RENDER_DURATION.observe(seconds)


class QueueCollector:
    """Queue depth by queue and state, the oldest waiting task's age, and live workers."""

    def collect(self):
        from django.db.models import Count, Min
        from django.utils import timezone
        from django_tasks_db.models import DBTaskResult

        from clipdeck.runtime.workers import live_workers

        depth = GaugeMetricFamily(
            "clipdeck_task_queue_depth", "Tasks waiting or running.", labels=["queue", "state"]
        )
        oldest = GaugeMetricFamily(
            "clipdeck_task_queue_oldest_seconds",
            "Age of the oldest task waiting in each queue.",
            labels=["queue"],
        )
        now = timezone.now()
        rows = (
            DBTaskResult.objects.filter(status__in=["READY", "RUNNING"])
            .values("queue_name", "status")
            .annotate(n=Count("id"), first=Min("enqueued_at"))
        )
        for queue in settings.TASKS["default"].get("QUEUES", ["default"]):
            for state in ("READY", "RUNNING"):
                depth.add_metric([queue, state.lower()], 0)
        for row in rows:
            depth.add_metric([row["queue_name"], row["status"].lower()], row["n"])
            if row["status"] == "READY":
                oldest.add_metric([row["queue_name"]], (now - row["first"]).total_seconds())
        workers = GaugeMetricFamily(
            "clipdeck_workers_alive", "Task worker processes with a recent heartbeat."
        )
        workers.add_metric([], live_workers().count())
        yield from (depth, oldest, workers)


class _ThisProcess:
    """The default registry as one collector (single-process mode)."""

    def collect(self):
        return REGISTRY.collect()


def exposition() -> bytes:
    """The text exposition of every metric, across processes when multiprocess mode is on."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(QueueCollector())
    return generate_latest(registry)


def may_scrape(request: HttpRequest) -> bool:
    """With ``CLIPDECK_METRICS_TOKEN`` set, the bearer token; otherwise loopback clients only."""
    token = settings.CLIPDECK_METRICS_TOKEN
    if token:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(sent.encode(), token.encode())
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def metrics_view(request: HttpRequest) -> HttpResponse:
    """``GET /metrics`` in the Prometheus text format (403 for anyone else)."""
    if not may_scrape(request):
        return HttpResponse("Metrics are available to the monitoring system only.\n", status=403)
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
