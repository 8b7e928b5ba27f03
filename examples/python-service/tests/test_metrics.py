import pytest
from prometheus_client.parser import text_string_to_metric_families

from service.metrics import UNMATCHED


def scrape(client) -> dict[tuple[str, frozenset], float]:
    """All samples of a /metrics scrape, keyed by sample name and label set."""
    response = client.get("/metrics")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def requests_total(samples, **labels):
    return value(samples, "http_requests_total", **labels)


def test_metrics_is_prometheus_text(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "# TYPE http_requests_total counter" in text
    assert "# TYPE http_request_duration_seconds histogram" in text
    assert "# TYPE app_info gauge" in text


def test_app_info_is_one_with_version_and_environment(client):
    samples = scrape(client)
    assert value(samples, "app_info", version="1.2.3", environment="test") == 1.0


def test_requests_are_counted_by_method_route_and_status(client):
    for _ in range(3):
        client.get("/api/data")
    client.get("/health")
    client.post("/health")
    samples = scrape(client)
    assert requests_total(samples, method="GET", endpoint="/api/data", status="200") == 3
    assert requests_total(samples, method="GET", endpoint="/health", status="200") == 1
    # A 405 has no matched rule, so it is unmatched too.
    assert requests_total(samples, method="POST", endpoint=UNMATCHED, status="405") == 1


def test_durations_are_observed_per_route(client):
    for _ in range(2):
        client.get("/api/data")
    samples = scrape(client)
    count = value(
        samples, "http_request_duration_seconds_count", method="GET", endpoint="/api/data"
    )
    assert count == 2
    total = value(samples, "http_request_duration_seconds_sum", method="GET", endpoint="/api/data")
    assert total >= 0
    inf_bucket = value(
        samples,
        "http_request_duration_seconds_bucket",
        method="GET",
        endpoint="/api/data",
        le="+Inf",
    )
    assert inf_bucket == 2


def test_injected_errors_show_in_the_counters(make_app):
    client = make_app(fault_error_rate=0.25).test_client()
    for _ in range(100):
        client.get("/api/data")
    samples = scrape(client)
    assert requests_total(samples, method="GET", endpoint="/api/data", status="200") == 75
    assert requests_total(samples, method="GET", endpoint="/api/data", status="500") == 25


def test_unmatched_paths_share_one_label_and_never_expose_the_raw_path(client):
    for path in ("/admin", "/wp-login.php", "/api/data/extra", "/a/b/c?x=1"):
        client.get(path)
    response = client.get("/metrics")
    text = response.get_data(as_text=True)
    for raw in ("/admin", "wp-login", "/api/data/extra", "/a/b/c"):
        assert raw not in text
    samples = scrape(client)
    assert requests_total(samples, method="GET", endpoint=UNMATCHED, status="404") == 4


def test_unknown_methods_are_folded_into_other(client):
    client.open("/api/data", method="BREW")
    samples = scrape(client)
    assert requests_total(samples, method="other", endpoint=UNMATCHED, status="405") == 1
    assert "BREW" not in client.get("/metrics").get_data(as_text=True)


def test_scrapes_are_not_counted(client):
    for _ in range(3):
        client.get("/metrics")
    samples = scrape(client)
    endpoints = {dict(labels).get("endpoint") for _, labels in samples}
    assert "/metrics" not in endpoints


def test_nothing_is_counted_before_the_first_request(client):
    samples = scrape(client)
    assert not [name for name, _ in samples if name == "http_requests_total"]


@pytest.mark.parametrize("apps", [3])
def test_many_apps_have_independent_registries(make_app, apps):
    clients = [make_app(app_version=str(n)).test_client() for n in range(apps)]
    for n, client in enumerate(clients):
        for _ in range(n + 1):
            client.get("/health")
    for n, client in enumerate(clients):
        samples = scrape(client)
        assert requests_total(samples, method="GET", endpoint="/health", status="200") == n + 1
        assert value(samples, "app_info", version=str(n), environment="development") == 1.0
