"""/metrics, request ids and the OpenAPI document's error responses."""

from fastapi.testclient import TestClient


def test_metrics_count_requests_and_jobs(client: TestClient) -> None:
    client.get("/regions/NY")
    client.get("/regions/Nowhere")
    text = client.get("/metrics").text
    assert 'seircast_http_requests_total{method="GET",route="/regions/{code}",status="200"}' in text
    assert 'route="/regions/{code}",status="404"' in text
    assert "seircast_queue_depth 0.0" in text
    assert "seircast_http_request_duration_seconds_bucket" in text


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/health", headers={"X-Request-ID": "abc123"})
    assert given.headers["x-request-id"] == "abc123"
    made = client.get("/health").headers["x-request-id"]
    assert len(made) == 32


def test_openapi_declares_problem_responses(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path, method, codes in [
        ("/forecast", "get", {"404", "422"}),
        ("/refit", "post", {"401", "404", "422"}),
        ("/jobs/{job_id}", "delete", {"401", "404", "409"}),
        ("/observations", "post", {"401", "413", "422"}),
        ("/regions/{code}/observations", "get", {"404", "422"}),
    ]:
        responses = paths[path][method]["responses"]
        assert codes <= set(responses), (path, set(responses))
        assert (
            "application/problem+json" in responses["404" if "404" in codes else "422"]["content"]
        )


def test_metric_names_follow_prometheus_conventions(client: TestClient) -> None:
    for path in ("/docs", "/openapi.json", "/static/app.js", "/no/such/page"):
        client.get(path)
    text = client.get("/metrics").text
    types = dict(line.split()[2:4] for line in text.splitlines() if line.startswith("# TYPE "))
    assert all(kind == "counter" for name, kind in types.items() if name.endswith("_total"))
    assert types["seircast_fit_seconds_total"] == "counter"
    assert types["process_cpu_seconds_total"] == "counter"
    assert "process_resident_memory_bytes" in types
    for route in ("/docs", "/openapi.json", "/static"):
        assert f'route="{route}",status="200"' in text, route
    assert 'route="unmatched",status="404"' in text  # a path no route has


def test_large_responses_are_gzipped(client: TestClient) -> None:
    big = client.get("/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and big.json()["openapi"]
    small = client.get("/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
