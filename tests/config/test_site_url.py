"""The operator's first hour: SITE_URL sets the Site's domain; without it, production refuses public pages on a
public host while the Site still holds the development address 127.0.0.1:8000, and says what to set."""

import urllib.error
import urllib.request

import pytest
from django.contrib.sites.models import Site
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from config.site_url import apply_site_url, is_development_domain, is_public_host, site_domain
from tests.servers import production_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "blog.example.com"]
    return "blog.example.com"


def test_site_url_gives_the_sites_domain():
    assert site_domain("https://Blog.Example.com/") == "blog.example.com"
    assert site_domain("http://blog.example.com:8080") == "blog.example.com:8080"
    for wrong in ("blog.example.com", "ftp://blog.example.com", "https://blog.example.com/news/"):
        with pytest.raises(ImproperlyConfigured):
            site_domain(wrong)


def test_development_domains_are_recognised():
    for domain in ("127.0.0.1:8000", "localhost", "LOCALHOST:8765", "[::1]:8000", "127.0.0.1"):
        assert is_development_domain(domain), domain
    for domain in ("blog.example.com", "blog.example.com:8080", "10.0.0.5:8000"):
        assert not is_development_domain(domain), domain


def test_public_hosts_are_dotted_names_other_than_loopback():
    for host in ("blog.example.com", "blog.example.com:8443", "10.0.0.5:8000"):
        assert is_public_host(host), host
    for host in ("127.0.0.1:8000", "127.0.1.1", "localhost:8000", "[::1]:8000", "testserver"):
        assert not is_public_host(host), host


def test_public_host_is_refused_while_the_site_holds_the_development_address(client, site_content, public_host):
    assert Site.objects.get_current().domain == "127.0.0.1:8000"  # As the starting content leaves it.

    response = client.get("/", HTTP_HOST=public_host)

    assert response.status_code == 503
    content = response.content.decode()
    assert "This site's address is not set yet" in content
    assert "SITE_URL=https://blog.example.com" in content
    assert "<code>127.0.0.1:8000</code>" in content
    assert response["Cache-Control"] == "no-store"


def test_loopback_hosts_the_admin_and_health_check_still_answer(client, site_content, public_host):
    assert client.get("/", HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/healthz", HTTP_HOST=public_host).status_code == 200
    assert client.get("/admin/login/", HTTP_HOST=public_host).status_code == 200


def test_site_url_sets_the_domain_and_pages_link_to_it(client, site_content, public_host, settings):
    settings.SITE_URL = "https://blog.example.com"

    said = apply_site_url()

    assert said == "Site domain set from SITE_URL: 127.0.0.1:8000 -> blog.example.com."
    assert Site.objects.get_current().domain == "blog.example.com"
    response = client.get("/", HTTP_HOST=public_host)
    assert response.status_code == 200
    assert '<link rel="canonical" href="http://blog.example.com/">' in response.content.decode()  # http: tests allow it


def test_without_site_url_the_command_says_pages_are_refused(site_content, capsys):
    call_command("set_site_url")

    assert "SITE_URL is not set and the Site's domain is the development address 127.0.0.1:8000" in (
        capsys.readouterr().out
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_writes_site_url_into_the_site_as_it_starts(site_content):
    """config/wsgi.py applies SITE_URL: the production server, started as deploy.md says, serves the real host."""
    env = {"SITE_URL": "http://blog.example.test", "ALLOWED_HOSTS": "127.0.0.1,localhost,blog.example.test"}
    with production_server(extra_env=env) as base_url:
        request = urllib.request.Request(base_url + "/", headers={"Host": "blog.example.test"})
        with urllib.request.urlopen(request, timeout=10) as response:
            content = response.read().decode()

    assert Site.objects.get().domain == "blog.example.test"
    assert "://blog.example.test/" in content


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_gunicorn_without_site_url_refuses_a_public_host_and_says_why(site_content):
    env = {"ALLOWED_HOSTS": "127.0.0.1,localhost,blog.example.test"}
    with production_server(extra_env=env) as base_url:
        request = urllib.request.Request(base_url + "/", headers={"Host": "blog.example.test"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        body = refused.value.read().decode()  # While the server is there to send it all.

    assert refused.value.code == 503
    assert "SITE_URL" in body
