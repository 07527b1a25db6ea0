"""bench/run.py's reporting: each case is reported by its median round (benchmarks themselves are not tests)."""

from bench.run import median_round


def rounds(*rates, errors=0):
    return [{"rps": rate, "p50_ms": 1000 / rate, "errors": errors, "non_2xx": 0} for rate in rates]


def test_reports_the_round_with_the_median_rate():
    result = median_round(rounds(300.0, 200.0, 250.0))

    assert (result["rps"], result["p50_ms"]) == (250.0, 4.0)


def test_spread_is_the_range_of_rates_over_the_median():
    assert median_round(rounds(300.0, 200.0, 250.0))["spread"] == 0.4


def test_errors_of_every_round_are_counted():
    assert median_round(rounds(1.0, 2.0, 3.0, errors=2))["errors"] == 6
