"""The OpenAPI document: problem+json errors only, an API-key scheme on mutating operations,
a description on every parameter, an example for every request and response; and the
distinct problem types a client can tell apart."""

from typing import Any

from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.api import eval_schemas, forecast_schemas, job_schemas, schemas
from app.api.routes import fits
from app.errors import PROBLEM_TYPES, TYPE_BASE
from tests.factories import long_csv

MUTATING = {"post", "put", "patch", "delete"}


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(p, m, op) for p, ops in schema["paths"].items() for m, op in ops.items()]


def test_errors_are_declared_as_problem_json_only(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path, method, op in _operations(schema):
        for code, response in op["responses"].items():
            if code[0] in "45":
                content = response["content"]
                assert list(content) == ["application/problem+json"], (path, method, code)
                media = content["application/problem+json"]
                assert media["schema"] == {"$ref": "#/components/schemas/Problem"}
                types = {e["value"]["type"] for e in media["examples"].values()}
                assert types and all(t.startswith(TYPE_BASE) for t in types), (path, code)
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    not_found = schema["paths"]["/forecast"]["get"]["responses"]["404"]["content"]
    examples = not_found["application/problem+json"]["examples"]
    assert {"unknown-region", "no-forecast", "no-release"} <= set(examples)


def test_mutating_operations_name_the_api_key_scheme(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["APIKeyHeader"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "one of SEIRCAST_API_KEYS; needed on mutating endpoints when that is set",
    }
    for path, method, op in _operations(schema):
        secured = op.get("security") == [{"APIKeyHeader": []}]
        assert secured == (method in MUTATING), (path, method)
        assert "x-api-key" not in {p["name"].lower() for p in op.get("parameters", [])}


def test_every_parameter_has_a_description(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    missing = [
        (path, method, p["name"])
        for path, method, op in _operations(schema)
        for p in op.get("parameters", [])
        if not p.get("description")
    ]
    assert not missing, missing


def test_each_not_found_has_its_own_problem_type(client: TestClient) -> None:
    client.post("/observations", files={"file": ("a.csv", long_csv([("2020-03-01", "NY", 1)]))})
    cases = {
        "/regions/Nowhere": "unknown-region",
        "/forecast?region=Nwe%20York": "unknown-region",
        "/forecast?region=NY": "no-forecast",
        "/releases/999": "no-release",
        "/regions/NY/observations?as_of=999": "no-release",
        "/regions/NY/observations?as_of=2019-01-01": "no-release",
        "/jobs/999": "not-found",
    }
    for url, slug in cases.items():
        response = client.get(url)
        assert response.status_code == 404, (url, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == TYPE_BASE + slug, (url, body)
        assert body["title"] == PROBLEM_TYPES[slug].title
    assert "US-NY" in client.get("/regions/Nwe York").json()["suggestions"]


def _examples(media: dict[str, Any], components: dict[str, Any]) -> list[Any]:
    if "example" in media:
        return [media["example"]]
    if "examples" in media:
        return list(media["examples"].values())
    schema = media.get("schema", {})
    schema = schema.get("items", schema) if schema.get("type") == "array" else schema
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    found: list[Any] = schema.get("examples", [])
    return found


def _form_fields_without_examples(media: dict[str, Any], components: dict[str, Any]) -> list[str]:
    form = components[media["schema"]["$ref"].rsplit("/", 1)[1]]
    return [
        name
        for name, prop in form["properties"].items()
        if "examples" not in prop
        and prop.get("contentMediaType") != "application/octet-stream"
        and prop.get("format") != "binary"
    ]


def test_every_request_and_response_has_an_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    missing = []
    for path, method, op in _operations(schema):
        for kind, media in op.get("requestBody", {}).get("content", {}).items():
            if kind == "multipart/form-data":
                bare = _form_fields_without_examples(media, components)
                missing += [(path, method, "form", name) for name in bare]
            elif not _examples(media, components):
                missing.append((path, method, "request", kind))
        for code, response in op["responses"].items():
            for kind, media in response.get("content", {}).items():
                if code[0] in "23" and not _examples(media, components):
                    missing.append((path, method, code, kind))
    assert not missing, missing


def test_the_examples_are_valid_bodies() -> None:
    checked = 0
    for module in (schemas, job_schemas, eval_schemas, forecast_schemas, fits):
        for model in vars(module).values():
            if isinstance(model, type) and issubclass(model, BaseModel):
                extra = model.model_config.get("json_schema_extra")
                found = extra.get("examples") if isinstance(extra, dict) else None
                for example in found if isinstance(found, list) else []:
                    model.model_validate(example)
                    checked += 1
    assert checked >= 17
