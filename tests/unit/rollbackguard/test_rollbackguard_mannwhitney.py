"""The U statistic and its normal approximation, against published reference figures."""

import math

import pytest
from paved.errors import UsageError
from paved.rollbackguard.mannwhitney import SMALL_SAMPLE, MannWhitneyJudge, judge, mann_whitney
from paved.rollbackguard.metric import Comparison
from paved.rollbackguard.record import Verdict

# ClickHouse's mannWhitneyUTest reference case (tests/queries/0_stateless/01560_mann_whitney):
# U = 223, two-sided p = 0.5426959774289482 with tie and continuity corrections.
FIRST = [
    310,
    195,
    530,
    155,
    530,
    245,
    385,
    450,
    465,
    545,
    170,
    180,
    125,
    180,
    230,
    75,
    430,
    480,
    495,
    295,
]
SECOND = [
    116,
    171,
    176,
    421,
    111,
    326,
    481,
    111,
    346,
    441,
    261,
    411,
    206,
    521,
    456,
    446,
    296,
    51,
    426,
    261,
]


def test_reference_u_and_p_value():
    result = mann_whitney(FIRST, SECOND)
    assert result.u_candidate == 223.0
    assert result.u_stable == 177.0
    assert result.p_value == pytest.approx(0.5426959774289482, rel=1e-12)
    assert result.small_sample


def test_separated_samples_are_significant_and_u_counts_pair_wins():
    result = mann_whitney([10, 11, 12, 13, 14, 15], [1, 2, 3, 4, 5, 6])
    assert result.u_candidate == 36
    assert result.u_stable == 0
    # z = (18 - 0.5) / sqrt(39); two-sided normal tail.
    assert result.z == pytest.approx(17.5 / math.sqrt(39))
    assert result.p_value == pytest.approx(math.erfc(result.z / math.sqrt(2)))


def test_all_tied_values_give_no_evidence():
    result = mann_whitney([5, 5, 5], [5, 5])
    assert (result.z, result.p_value) == (0.0, 1.0)


def test_sample_size_warning_starts_below_fifty_per_side():
    assert mann_whitney(list(range(SMALL_SAMPLE)), list(range(SMALL_SAMPLE))).small_sample is False
    assert mann_whitney(list(range(SMALL_SAMPLE)), list(range(49))).small_sample


def test_direction_decides_which_side_is_worse():
    high = [float(v) for v in range(100, 160)]
    low = [float(v) for v in range(60)]
    config = MannWhitneyJudge("m")
    assert judge(config, Comparison.AT_MOST, high, low).verdict is Verdict.FAIL
    assert judge(config, Comparison.AT_LEAST, high, low).verdict is Verdict.PASS
    assert judge(config, Comparison.AT_LEAST, low, high).verdict is Verdict.FAIL
    assert judge(config, Comparison.AT_MOST, [], low).verdict is Verdict.HOLD


@pytest.mark.parametrize(("candidate", "stable"), [([], [1.0]), ([math.nan], [1.0])])
def test_unusable_samples_are_usage_errors(candidate, stable):
    with pytest.raises(UsageError):
        mann_whitney(candidate, stable)


@pytest.mark.parametrize("alpha", [0, 1, 1.5])
def test_alpha_must_be_a_level(alpha):
    with pytest.raises(UsageError):
        MannWhitneyJudge("m", alpha=alpha)
