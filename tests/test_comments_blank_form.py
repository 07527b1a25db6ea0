"""The comment form for readers with nothing personal in it is rendered once and filled in per request."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template.loader import render_to_string

from comments.blank_form import is_blank_reader, render_blank_form
from comments.forms import REMEMBER_COOKIE, form_context

pytestmark = pytest.mark.django_db

PER_REQUEST_VALUES = re.compile(r'(name="(?:csrfmiddlewaretoken|timestamp|security_hash)" value=")[^"]*"')


@pytest.fixture
def anonymous_request(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def test_blank_form_is_the_full_render_but_for_token_timestamp_and_hash(anonymous_request, site_content):
    full = render_to_string("comments/respond.html", form_context(anonymous_request, site_content), anonymous_request)

    fast = render_blank_form(anonymous_request, site_content)

    assert PER_REQUEST_VALUES.sub(r'\1"', fast) == PER_REQUEST_VALUES.sub(r'\1"', full)


def test_blank_form_gets_a_fresh_timestamp_and_matching_hash(anonymous_request, site_content):
    html = render_blank_form(anonymous_request, site_content)

    timestamp = re.search(r'name="timestamp" value="(\d+)"', html).group(1)
    security_hash = re.search(r'name="security_hash" value="([0-9a-f]+)"', html).group(1)
    form = form_context(anonymous_request, site_content)["comment_form"]
    assert security_hash == form.initial_security_hash(int(timestamp))


def test_readers_with_something_of_their_own_get_the_full_form(anonymous_request, rf):
    replying = rf.get("/", {"reply_to": "3"})
    replying.user = AnonymousUser()
    remembered = rf.get("/")
    remembered.user = AnonymousUser()
    remembered.COOKIES[REMEMBER_COOKIE] = "signed-details"

    assert is_blank_reader(anonymous_request)
    assert not is_blank_reader(replying)
    assert not is_blank_reader(remembered)
