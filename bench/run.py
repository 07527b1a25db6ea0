"""`make bench`: the article page under load with 0, 50, 500 and 5,000 threaded comments, then a busy site.

BENCH_SCENARIOS (default "article,busy") picks what runs: "article" (below), "busy" (bench/busy.py: readers
of 100 articles through nginx while new readers comment and an editor approves), or both.

For each comment count it seeds the article (the `seed_comments` command) in a database of its own
(DATABASE_URL's name + "_bench"), then measures with wrk (installed from Debian if missing; a small
Python load generator otherwise), 16 connections for BENCH_SECONDS (default 5) a run, in BENCH_ROUNDS
(default 3) interleaved rounds of every case, each case reported by its median round:

- static: nginx serving the page's bytes as a file (the ceiling);
- floor: a minimal Django view returning the same bytes, through the same gunicorn and middleware;
- cold: the article page rendered from the database (page cache off);
- warm: the article page from the app's page cache (Redis at REDIS_URL if set, else each worker's memory);
- nginx: the article through deploy/nginx.conf in front of the warm server, every request with cookies of
  its own (bench/cookies.lua), as readers with analytics or consent cookies send.

It prints requests/s, p50/p99 latency, bytes and SQL queries per page, each rate as a ratio to the
static file and to the floor of the same run, then the busy site's table, and one summary line against the
targets (TARGETS here, bench.busy's for the busy site).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from functools import partial
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
COUNTS = [0, 50, 500, 5000]
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
# Cases take turns, round after round: a slow spell on a shared machine then hits every case alike,
# instead of whichever one ran during it, and the ratios compare like with like.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = 16
PORT = int(os.environ.get("BENCH_PORT", "8600"))  # Uses PORT, PORT + 1 and PORT + 2.
SLUG = "why-xiaomi-smartphones-banned-in-pakistan"
ARTICLE_PATH = f"/articles/{SLUG}/"
# Ratios to the floor, except nginx's: to the static file.
TARGETS = {"nginx@50": 0.8, "warm@50": 0.8, "cold@50": 0.07, "cold@5000": 0.05}
MAX_QUERIES = 4
SCENARIOS = ("article", "busy")


def log(message):
    print(message, file=sys.stderr, flush=True)


def selected_scenarios(value):
    """The scenarios BENCH_SCENARIOS names ("article,busy"), in the order they run; exits on an unknown name."""
    names = {name.strip() for name in value.split(",") if name.strip()}
    if unknown := names - set(SCENARIOS):
        sys.exit(f"bench: unknown BENCH_SCENARIOS {', '.join(sorted(unknown))} (choose from {', '.join(SCENARIOS)})")
    return [name for name in SCENARIOS if name in names]


# --- Set-up -------------------------------------------------------------------


def use_bench_database():
    """Point DATABASE_URL at `<name>_bench` (created if missing), so seeding never touches the site's data."""
    sys.path.insert(0, str(BASE_DIR / "scripts"))
    from devdb import ensure_database

    parts = urlsplit(os.environ["DATABASE_URL"])
    url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_bench"))
    ensure_database(url)
    os.environ["DATABASE_URL"] = url


def set_up_django():
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # The site's, with the floor view; gunicorn inherits it.
    os.environ["DJANGO_ENV"] = "production"
    os.environ["DEBUG"] = "0"
    os.environ["ALLOW_INSECURE_HTTP"] = "1"  # Plain HTTP on 127.0.0.1: no redirect to HTTPS.
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["CACHE_KEY_PREFIX"] = f"bench-{secrets.token_hex(4)}"  # Never meets the site's cache entries.
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_site_content", verbosity=0)


def ensure_tool(command, package):
    """The tool's path, installing its Debian package when we may (root with apt-get); None if absent."""
    if shutil.which(command) is None and os.geteuid() == 0 and shutil.which("apt-get"):
        log(f"bench: installing {package} from Debian ...")
        subprocess.run(
            ["apt-get", "install", "-y", "-q", package],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            check=False,
        )
    return shutil.which(command) or (f"/usr/sbin/{command}" if Path(f"/usr/sbin/{command}").exists() else None)


def invalidate_cached_pages():
    """Every cached page out of date: the seeding's bulk inserts send no signals."""
    from config.cachetags import invalidate_site_pages

    invalidate_site_pages()


def seed(count):
    """Give the article exactly `count` comments; False when the seed_comments command does not exist."""
    import django_comments
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command, get_commands
    from django.test.utils import override_settings

    from blog.models import Article

    article = Article.objects.get(slug=SLUG)
    comments = django_comments.get_model().objects.filter(
        content_type=ContentType.objects.get_for_model(Article), object_pk=str(article.pk)
    )
    comments.delete()
    if count:
        if "seed_comments" not in get_commands():
            log(f"bench: cannot seed {count} comments: no seed_comments command on this branch")
            return False
        try:
            call_command("seed_comments", article=SLUG, count=count, depth=3, verbosity=0)
        except Exception as error:
            log(f"bench: cannot seed {count} comments: seed_comments failed: {error!r}")
            return False
    with override_settings(PAGE_CACHE=True):
        invalidate_cached_pages()  # The seeding's bulk inserts send no signals.
    return True


def page_in_process():
    """The page's bytes and its SQL queries, cold (cache off) and warm, from Django's test client."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    def queries_for_second_request(client):
        client.get(ARTICLE_PATH)  # Fills per-process caches (content types, the site; the page cache).
        with CaptureQueriesContext(connection) as queries:
            response = client.get(ARTICLE_PATH)
        assert response.status_code == 200, response.status_code
        return response.content, len(queries)  # Counted now: the next request clears the query log.

    with override_settings(PAGE_CACHE=False):
        body, cold = queries_for_second_request(Client())
    with override_settings(PAGE_CACHE=True):
        _, warm = queries_for_second_request(Client())
    return body, cold, warm


# --- Servers --------------------------------------------------------------------


def wait_for(url, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our own local server)
                return response.read()
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in 30 s")


def start_gunicorn(port, *, page_cache, floor_file, workdir, env=None):
    env = {
        **os.environ,
        **(env or {}),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PAGE_CACHE": "1" if page_cache else "0",
        "BENCH_FLOOR_FILE": str(floor_file),
        "ACCESS_LOG": "0",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    with open(workdir / f"gunicorn-{port}.log", "ab") as errors:
        process = subprocess.Popen(
            [gunicorn, "-c", "config/gunicorn.conf.py"], cwd=BASE_DIR, env=env, stdout=errors, stderr=errors
        )
    wait_for(f"http://127.0.0.1:{port}/bench/floor/", process)
    return process


def start_nginx(nginx, port, root, workdir):
    """nginx serving the files in `root` at 127.0.0.1:`port`: the static baseline."""
    from tests.nginx import run_nginx

    site = workdir / "static-site.conf"
    site.write_text(f"server {{\n  listen 127.0.0.1:{port};\n  root {root};\n  default_type text/html;\n}}\n")
    process = run_nginx(workdir, site, nginx=nginx)
    wait_for(f"http://127.0.0.1:{port}/page.html", process)
    return process


def stop(process):
    from tests.servers import stop as stop_server

    stop_server(process, timeout=15)


# --- Load -----------------------------------------------------------------------


def load_with_wrk(wrk, url, seconds, script="report.lua", args=()):
    script = BASE_DIR / "bench" / script
    output = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "-s", str(script), url, *(["--", *args] if args else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def load_with_python(url, seconds):
    """A small fallback when wrk is missing: CONNECTIONS threads, each a request loop (slower than wrk)."""
    parts = urlsplit(url)
    latencies, errors, total_bytes = [], [0], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            started = time.monotonic()
            connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                connection.request("GET", parts.path)
                response = connection.getresponse()
                body = response.read()
                ok = response.status == 200
            except OSError:
                ok, body = False, b""
            finally:
                connection.close()
            with lock:
                latencies.append(time.monotonic() - started)
                total_bytes[0] += len(body)
                errors[0] += not ok

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": time.monotonic() - began,
        "bytes": total_bytes[0],
        "errors": errors[0],
        "non_2xx": 0,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
    }


def measure(wrk, url, *, warm_up, script="report.lua", args=(), seconds=None):
    run = partial(load_with_wrk, wrk, url, script=script, args=args) if wrk else partial(load_with_python, url)
    if warm_up:
        run(1)  # Every worker has imported, connected and (warm run) filled its cache.
    result = run(seconds or SECONDS)
    result["rps"] = result["requests"] / result["seconds"]
    return result


def median_round(results):
    """The round with the median rate, with the spread of all rounds' rates around it."""
    ranked = sorted(results, key=lambda result: result["rps"])
    median = ranked[len(ranked) // 2]
    return {
        **median,
        "spread": (ranked[-1]["rps"] - ranked[0]["rps"]) / median["rps"],
        "errors": sum(result["errors"] for result in results),
        "non_2xx": sum(result["non_2xx"] for result in results),
    }


# --- Report ---------------------------------------------------------------------


def ratio(value, base):
    return f"{value / base:.2f}" if value is not None and base else "n/a"


def main():
    scenarios = selected_scenarios(os.environ.get("BENCH_SCENARIOS", ",".join(SCENARIOS)))
    use_bench_database()
    set_up_django()
    wrk = ensure_tool("wrk", "wrk")
    nginx = ensure_tool("nginx", "nginx")
    workdir = Path(tempfile.mkdtemp(prefix="blog-bench-"))
    workdir.chmod(0o755)
    log(
        f"bench: {' and '.join(scenarios)}; load generator {'wrk' if wrk else 'Python (wrk missing)'}, "
        f"{CONNECTIONS} connections, {SECONDS}s per run, {ROUNDS} rounds; "
        f"static baseline {'nginx' if nginx else 'missing (nginx not installed)'}"
    )

    summary = []
    if "article" in scenarios:
        rows, results, not_seeded = article_cases(wrk, nginx, workdir)
        summary += summary_parts(results, not_seeded)
    if "busy" in scenarios:
        from bench import busy

        figures = busy.run(wrk=wrk, nginx=nginx, workdir=workdir)
        summary += busy.summary_parts(figures)
    if "article" in scenarios:
        print_table(rows, results)
    if "busy" in scenarios:
        print("\n".join(busy.table_lines(figures)))
    print()
    print("SUMMARY: " + "; ".join(summary))
    shutil.rmtree(workdir, ignore_errors=True)


def article_cases(wrk, nginx, workdir):
    """Every case at every comment count: the table's rows, the results by "case@count", the counts not seeded."""
    from tests.nginx import nginx_in_front  # deploy/nginx.conf as shipped, in front of the warm server.

    rows, results, not_seeded = [], {}, []
    for count in COUNTS:
        if not seed(count):
            not_seeded.append(count)
            continue
        body, cold_queries, warm_queries = page_in_process()
        (workdir / "page.html").write_bytes(body)
        log(f"bench: {count} comments, page {len(body):,} bytes, SQL cold {cold_queries} / warm {warm_queries}")
        servers = []
        stack = ExitStack()
        try:
            servers.append(start_gunicorn(PORT, page_cache=False, floor_file=workdir / "page.html", workdir=workdir))
            refresh = {"PAGE_CACHE_REFRESH_URL": f"http://127.0.0.1:{PORT + 3}"}  # nginx, as docs/deploy.md.
            page = workdir / "page.html"
            servers.append(start_gunicorn(PORT + 1, page_cache=True, floor_file=page, workdir=workdir, env=refresh))
            if nginx:
                servers.append(start_nginx(nginx, PORT + 2, workdir, workdir))
                proxy = stack.enter_context(nginx_in_front(f"127.0.0.1:{PORT + 1}", port=PORT + 3))
            cases = [
                ("static", f"http://127.0.0.1:{PORT + 2}/page.html" if nginx else None, None),
                ("floor", f"http://127.0.0.1:{PORT}/bench/floor/", 0),
                ("cold", f"http://127.0.0.1:{PORT}{ARTICLE_PATH}", cold_queries),
                ("warm", f"http://127.0.0.1:{PORT + 1}{ARTICLE_PATH}", warm_queries),
                ("nginx", f"{proxy}{ARTICLE_PATH}" if nginx else None, None),
            ]
            cases = [(name, url, queries) for name, url, queries in cases if url is not None]
            rounds = {name: [] for name, _, _ in cases}
            for number in range(ROUNDS):
                log(f"bench:   round {number + 1} of {ROUNDS} ...")
                for name, url, _ in cases:
                    script = "cookies.lua" if name == "nginx" else "report.lua"
                    rounds[name].append(measure(wrk, url, warm_up=number == 0, script=script))
            measured = {name: {**median_round(rounds[name]), "queries": queries} for name, _, queries in cases}
        finally:
            stack.close()
            for server in servers:
                stop(server)
        for name, result in measured.items():
            results[f"{name}@{count}"] = result
            rows.append((count, name, result, len(body)))
    return rows, results, not_seeded


def print_table(rows, results):
    print()
    print(
        f"{'comments':>8}  {'page':<7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'bytes':>9} {'SQL':>4} "
        f"{'x static':>8} {'x floor':>8} {'spread':>7}  errors"
    )
    for count, name, result, size in rows:
        static = results.get(f"static@{count}", {}).get("rps")
        floor = results[f"floor@{count}"]["rps"]
        queries = "-" if result["queries"] is None else result["queries"]
        print(
            f"{count:>8}  {name:<7} {result['rps']:>9,.0f} {result['p50_ms']:>8.2f} {result['p99_ms']:>8.2f} "
            f"{size:>9,} {queries:>4} {ratio(result['rps'], static):>8} {ratio(result['rps'], floor):>8} "
            f"{result['spread']:>7.0%}  "
            f"{result['errors'] + result['non_2xx']}"
        )


def summary_parts(results, not_seeded):
    """The article cases' part of the SUMMARY line: each ratio with its target met or MISSED."""
    parts = []
    for case, target in TARGETS.items():
        name, count = case.split("@")
        base = "static" if name == "nginx" else "floor"
        if case in results and f"{base}@{count}" in results:
            value = results[case]["rps"] / results[f"{base}@{count}"]["rps"]
            parts.append(f"{case} {value:.2f}x {base} (target {target}: {'met' if value >= target else 'MISSED'})")
        else:
            parts.append(f"{case} not measured")
    if "cold@0" in results and "cold@5000" in results:
        before, after = results["cold@0"]["queries"], results["cold@5000"]["queries"]
        ok = before == after and after <= MAX_QUERIES
        parts.append(
            f"SQL at 0 vs 5000 comments {before} vs {after} (target same and <= {MAX_QUERIES}: "
            f"{'met' if ok else 'MISSED'})"
        )
    if not_seeded:
        parts.append(f"could not seed {', '.join(map(str, not_seeded))} comments (see above)")
    return parts


if __name__ == "__main__":
    main()
