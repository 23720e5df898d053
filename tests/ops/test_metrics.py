"""/metrics: Prometheus text with request, feed, task and queue figures, for scrapers only."""

from __future__ import annotations

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import UserFactory
from tests.ops.tasks import record

pytestmark = pytest.mark.django_db(transaction=True)


def scrape(**headers) -> dict[tuple[str, tuple], float]:
    """Every sample of a /metrics scrape: (name, sorted labels) -> value."""
    response = Client().get("/metrics", headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_request_latency_is_recorded_per_route():
    route = (("method", "GET"), ("route", "api/v1/feed/for-you"), ("status", "2xx"))
    before = scrape().get(("clipdeck_http_request_duration_seconds_count", route), 0)
    assert Client().get("/api/v1/feed/for-you").status_code == 200
    after = scrape()
    assert after[("clipdeck_http_request_duration_seconds_count", route)] == before + 1


def test_unknown_urls_share_one_route_label():
    Client().get("/no/such/page/1")
    Client().get("/no/such/page/2")
    samples = scrape()
    routes = {dict(labels).get("route") for name, labels in samples if "http_request" in name}
    assert not any(route and "no/such" in route for route in routes)


def test_feed_latency_is_recorded():
    before = value(scrape(), "clipdeck_feed_duration_seconds_count", feed="for_you")
    Client().get("/api/v1/feed/for-you")
    assert value(scrape(), "clipdeck_feed_duration_seconds_count", feed="for_you") == before + 1


def test_queue_depth_counts_waiting_tasks(tmp_path, run_worker):
    for key in ("a", "b", "c"):
        record.enqueue(key, str(tmp_path))
    samples = scrape()
    assert value(samples, "clipdeck_task_queue_depth", queue="default", state="ready") == 3
    assert value(samples, "clipdeck_task_queue_depth", queue="media", state="ready") == 0
    assert value(samples, "clipdeck_task_queue_oldest_seconds", queue="default") >= 0

    run_worker()
    assert value(scrape(), "clipdeck_task_queue_depth", queue="default", state="ready") == 0


def test_finished_tasks_record_their_duration(tmp_path, run_worker):
    name = "clipdeck_task_duration_seconds_count"
    labels = {"task": "record", "status": "SUCCESSFUL"}
    before = value(scrape(), name, **labels)
    record.enqueue("x", str(tmp_path))
    run_worker()
    assert value(scrape(), name, **labels) == before + 1


def test_renders_record_their_duration(run_worker):
    from clipdeck.studio.tasks import render_video

    before = value(scrape(), "clipdeck_render_duration_seconds_count")
    render_video.enqueue("00000000-0000-0000-0000-000000000000")  # nothing to render: returns
    run_worker()
    assert value(scrape(), "clipdeck_render_duration_seconds_count") == before + 1


def test_metrics_are_refused_to_non_loopback_clients():
    response = Client(REMOTE_ADDR="203.0.113.9").get("/metrics")
    assert response.status_code == 403
    assert b"clipdeck_" not in response.content


def test_with_a_token_only_the_token_opens_metrics(settings):
    settings.CLIPDECK_METRICS_TOKEN = "s3cret-scrape-token"
    assert Client().get("/metrics").status_code == 403  # loopback is not enough now
    wrong = Client().get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    remote = Client(REMOTE_ADDR="203.0.113.9")
    right = remote.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape-token"})
    assert right.status_code == 200


def test_live_workers_are_counted():
    from clipdeck.runtime.workers import beat, forget

    beat("metrics-test-worker")
    assert value(scrape(), "clipdeck_workers_alive") == 1
    forget("metrics-test-worker")
    assert value(scrape(), "clipdeck_workers_alive") == 0


def test_signed_in_feed_requests_are_timed_too(api):
    before = value(scrape(), "clipdeck_feed_duration_seconds_count", feed="for_you")
    api(UserFactory()).get("feed/for-you")
    assert value(scrape(), "clipdeck_feed_duration_seconds_count", feed="for_you") == before + 1
