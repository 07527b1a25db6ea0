"""bench/run.py's and bench/busy.py's reporting: each case reported by its median round, the summary's figures
against their targets (benchmarks themselves are not tests)."""

import pytest

from bench import busy
from bench.run import median_round, selected_scenarios, summary_parts


def rounds(*rates, errors=0):
    return [{"rps": rate, "p50_ms": 1000 / rate, "errors": errors, "non_2xx": 0} for rate in rates]


def test_reports_the_round_with_the_median_rate():
    result = median_round(rounds(300.0, 200.0, 250.0))

    assert (result["rps"], result["p50_ms"]) == (250.0, 4.0)


def test_spread_is_the_range_of_rates_over_the_median():
    assert median_round(rounds(300.0, 200.0, 250.0))["spread"] == 0.4


def test_errors_of_every_round_are_counted():
    assert median_round(rounds(1.0, 2.0, 3.0, errors=2))["errors"] == 6


def test_bench_scenarios_run_in_their_own_order_whatever_the_order_named():
    assert selected_scenarios("busy, article") == ["article", "busy"]
    assert selected_scenarios("busy") == ["busy"]


def test_an_unknown_bench_scenario_stops_the_bench():
    with pytest.raises(SystemExit, match="unknown BENCH_SCENARIOS cold"):
        selected_scenarios("article,cold")


def test_article_summary_compares_nginx_to_static_and_the_others_to_the_floor():
    results = {
        "static@50": {"rps": 1000.0},
        "floor@50": {"rps": 500.0},
        "nginx@50": {"rps": 900.0},
        "warm@50": {"rps": 300.0},
    }

    parts = summary_parts(results, not_seeded=[5000])

    assert "nginx@50 0.90x static (target 0.8: met)" in parts
    assert "warm@50 0.60x floor (target 0.8: MISSED)" in parts
    assert "cold@50 not measured" in parts
    assert parts[-1] == "could not seed 5000 comments (see above)"


def run_result(rps, *, p50_ms=1.0, p99_ms=10.0, errors=0):
    return {"rps": rps, "seconds": 5.0, "p50_ms": p50_ms, "p99_ms": p99_ms, "errors": errors, "non_2xx": 0}


def busy_figures(**changes):
    figures = {
        "static": run_result(10_000.0),
        "quiet": run_result(8_500.0),
        "busy": run_result(2_000.0, p50_ms=3.4, p99_ms=250.0),
        "posted": 20,
        "approved": 19,
        "approval_delays": [0.1] * 19,
        "visible": [0.4, 0.6, 1.5],
        "failures": [],
    }
    return {**figures, **changes}


def test_busy_summary_gives_every_figure_of_the_run_against_issue_25s_targets():
    assert busy.summary_parts(busy_figures()) == [
        "busy site: static 10,000 req/s",
        "quiet 8,500 req/s 0.85x static (target 0.8: met)",
        "busy 2,000 req/s 0.20x static (target 0.6: MISSED)",
        "while busy p50 3.4 ms, p99 250.0 ms (target <= 100 ms: MISSED)",
        "20 comments posted, 19 approved",
        "approved comment visible to a new reader median 0.60 s, max 1.50 s (target <= 1 s: MISSED)",
    ]


def test_busy_site_meets_its_targets_when_fast_enough():
    figures = busy_figures(busy=run_result(7_000.0, p99_ms=40.0), visible=[0.3, 0.9])

    parts = busy.summary_parts(figures)

    assert "busy 7,000 req/s 0.70x static (target 0.6: met)" in parts
    assert "while busy p50 1.0 ms, p99 40.0 ms (target <= 100 ms: met)" in parts
    assert parts[-1] == "approved comment visible to a new reader median 0.60 s, max 0.90 s (target <= 1 s: met)"


def test_an_approved_comment_never_seen_misses_the_visibility_target():
    parts = busy.summary_parts(busy_figures(visible=[0.5, None, 0.7]))

    assert parts[-1] == (
        "approved comment visible to a new reader: median 0.60 s of the rest, 1 of 3 not within 10 s "
        "(target <= 1 s: MISSED)"
    )


def test_visibility_is_not_measured_without_an_approved_comment():
    parts = busy.summary_parts(busy_figures(approved=0, approval_delays=[], visible=[]))

    assert parts[-1] == "approved comment visible to a new reader not measured (no comment approved)"


def test_busy_summary_counts_failed_requests_and_comment_steps():
    figures = busy_figures(quiet=run_result(8_500.0, errors=3), failures=["comment 4 not posted as held: 403"])

    assert busy.summary_parts(figures)[-1] == "busy site errors: 3 requests, 1 comment steps (see above)"


def test_a_skipped_busy_site_says_why():
    assert busy.summary_parts({"skipped": "Redis not reachable at redis://127.0.0.1:6379/0"}) == [
        "busy site not measured (Redis not reachable at redis://127.0.0.1:6379/0)"
    ]
    assert busy.table_lines({"skipped": "needs wrk and nginx"}) == []


def test_busy_table_has_each_run_against_the_static_file_then_the_comments():
    lines = busy.table_lines(busy_figures())

    assert lines[3].split() == ["static", "5.0", "10,000", "1.00", "10.00", "1.00", "0"]
    assert lines[5].split() == ["busy", "5.0", "2,000", "3.40", "250.00", "0.20", "0"]
    assert lines[6] == "comments: 20 posted, 19 approved (held to approved: max 0.10 s)"


def test_visibility_is_the_median_and_max_of_the_comments_seen():
    assert busy.visibility([0.2, None, 0.4, 0.9]) == {"median": 0.4, "max": 0.9, "seen": 3, "unseen": 1}
