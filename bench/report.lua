-- wrk reporter for bench/run.py: one machine-readable line at the end of a run.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "BENCH {\"requests\": %d, \"seconds\": %.3f, \"bytes\": %d, \"errors\": %d, \"non_2xx\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f}\n",
    summary.requests, summary.duration / 1e6, summary.bytes, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
