"""Reading the query API's answers: vectors, scalars, and every shape that is not one."""

import math

import pytest
from paved.adapters.prometheus.http_api import AnswerShapeError, HttpApiPrometheus, parse_result
from paved.errors import UsageError


def test_vector_samples_keep_labels_and_special_values():
    samples = parse_result(
        {
            "status": "success",
            "data": {
                "resultType": "vector",
                "result": [
                    {"metric": {"job": "canary"}, "value": [1700000000.5, "0.25"]},
                    {"metric": {}, "value": [1700000000.5, "NaN"]},
                    {"metric": {}, "value": [1700000000.5, "+Inf"]},
                ],
            },
        }
    )
    assert samples[0].labels == {"job": "canary"}
    assert samples[0].value == 0.25
    assert math.isnan(samples[1].value)
    assert samples[2].value == math.inf


def test_scalar_is_one_sample_and_empty_vector_is_none():
    scalar = parse_result(
        {"status": "success", "data": {"resultType": "scalar", "result": [1, "2"]}}
    )
    assert [s.value for s in scalar] == [2.0]
    empty = parse_result({"status": "success", "data": {"resultType": "vector", "result": []}})
    assert empty == ()


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"status": "error"},
        {"status": "success"},
        {"status": "success", "data": {"resultType": "matrix", "result": []}},
        {"status": "success", "data": {"resultType": "vector", "result": [{"value": [1, "2"]}]}},
        {"status": "success", "data": {"resultType": "vector", "result": [{"metric": {}}]}},
        {"status": "success", "data": {"resultType": "scalar", "result": [1, 2]}},
    ],
)
def test_other_shapes_are_refused(document):
    with pytest.raises(AnswerShapeError):
        parse_result(document)


@pytest.mark.parametrize("url", ["", "ftp://x", "localhost:9090", "http://"])
def test_a_url_that_is_not_http_is_a_usage_error(url):
    with pytest.raises(UsageError, match="prometheus-url"):
        HttpApiPrometheus(url)
