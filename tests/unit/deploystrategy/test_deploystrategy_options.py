"""Options: canary weights, smoke checks, strategies; every bad value is one UsageError."""

from __future__ import annotations

import pytest
from paved.deploystrategy.options import (
    SmokeCheck,
    SmokeVia,
    Strategy,
    canary_steps,
    parse_app,
    parse_smoke_check,
    parse_weight_list,
    weights_by_increment,
)
from paved.errors import UsageError


def test_the_seeds_default_list_is_accepted():
    assert parse_weight_list("10,50,100") == (10, 50, 100)
    assert parse_weight_list(" 100 ") == (100,)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("50,10,100", "must increase, but 10 follows 50"),
        ("10,10,100", "must increase, but 10 follows 10"),
        ("10,50", "the last weight is 50, not 100"),
        ("0,100", "weight 0 is outside 1..100"),
        ("10,150", "weight 150 is outside 1..100"),
        ("10,fifty,100", "'fifty' in '10,fifty,100' is not a whole number"),
        ("", "'' in '' is not a whole number"),
    ],
)
def test_bad_weights_are_one_error_that_says_what_is_valid(text, says):
    with pytest.raises(UsageError) as raised:
        parse_weight_list(text)
    assert says in str(raised.value)
    assert str(raised.value).startswith("canary-steps: ")
    assert "(valid: " in str(raised.value)


def test_step_and_max_weight_end_with_promotion():
    assert weights_by_increment(20, 60) == (20, 40, 60, 100)
    assert weights_by_increment(25) == (25, 50, 75, 100)
    assert weights_by_increment(30, 100) == (30, 60, 90, 100)
    with pytest.raises(UsageError, match="larger than the maximum 40"):
        weights_by_increment(50, 40)
    with pytest.raises(UsageError, match="max-weight: 101 is outside"):
        weights_by_increment(10, 101)


def test_gates_must_name_a_step_before_the_last():
    steps = canary_steps((10, 50, 100), 30.0, frozenset({50}))
    assert [(s.weight, s.gate) for s in steps] == [(10, False), (50, True), (100, False)]
    with pytest.raises(UsageError, match=r"no canary step has weight 100 \(valid: 10, 50\)"):
        canary_steps((10, 50, 100), 30.0, frozenset({100}))


def test_smoke_checks_parse_status_and_json_assertions():
    check = parse_smoke_check("/api/data status=201 json.version=1.2.3 json.a.0=x")
    assert check == SmokeCheck("/api/data", 201, (("version", "1.2.3"), ("a.0", "x")))
    assert str(check) == "/api/data status=201 json.version=1.2.3 json.a.0=x"
    assert parse_smoke_check("/health") == SmokeCheck("/health")


def test_a_smoke_check_with_an_unknown_word_names_it():
    with pytest.raises(UsageError, match="'stat=200' in '/health stat=200' is not understood"):
        parse_smoke_check("/health stat=200")
    with pytest.raises(UsageError, match="does not start with a path"):
        parse_smoke_check("health")


def test_strategy_and_app_names_say_what_is_valid():
    assert Strategy.parse("Blue-Green") is Strategy.BLUE_GREEN
    with pytest.raises(UsageError, match=r"valid: direct, blue-green, canary"):
        Strategy.parse("rainbow")
    assert parse_app("shop-api") == "shop-api"
    with pytest.raises(UsageError, match="app: 'Shop_API' is not a valid app name"):
        parse_app("Shop_API")


def test_smoke_via_auto_is_the_proxy_outside_the_cluster_and_dns_inside():
    assert SmokeVia.AUTO.resolved(in_cluster=False) is SmokeVia.PROXY
    assert SmokeVia.AUTO.resolved(in_cluster=True) is SmokeVia.DIRECT
    for chosen in (SmokeVia.PROXY, SmokeVia.DIRECT):
        assert chosen.resolved(in_cluster=True) is chosen
        assert chosen.resolved(in_cluster=False) is chosen
