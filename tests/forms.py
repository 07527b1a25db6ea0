"""Submit HTML forms the way a browser would: read the fields from the page, change some, post."""

from html.parser import HTMLParser

from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.utils.http import urlencode


class BrowserClient(Client):
    """Django's test client, posting a form as a browser does: url-encoded unless a file is attached.

    Django's client sends every dict as multipart, which the comment endpoint refuses (config.body_limits).
    pytest's `client` fixture is one (tests/conftest.py).
    """

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, **extra):
        if content_type == MULTIPART_CONTENT and isinstance(data, dict) and not has_files(data):
            data, content_type = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        return super().post(path, data, content_type, **extra)


def has_files(data):
    values = [item for value in data.values() for item in (value if isinstance(value, list | tuple) else [value])]
    return any(hasattr(value, "read") for value in values)


class _FormParser(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.fields = []  # (name, value) pairs in document order
        self._textarea = None
        self._select = None
        self._select_first = None
        self._select_chosen = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = self.form_id is None or attrs.get("id") == self.form_id
        elif self.in_form and "disabled" not in attrs:
            self._start_field(tag, attrs)

    def _start_field(self, tag, attrs):
        name = attrs.get("name")
        if tag == "input" and name:
            self._input(name, attrs)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select:
            self._option(attrs)

    def _input(self, name, attrs):
        kind = attrs.get("type", "text")
        checkable = kind in {"checkbox", "radio"}
        if kind in {"submit", "button", "image", "reset", "file"} or (checkable and "checked" not in attrs):
            return
        self.fields.append((name, attrs.get("value", "on" if checkable else "")))

    def _option(self, attrs):
        value = attrs.get("value", "")
        if self._select_first is None:
            self._select_first = value
        if "selected" in attrs:
            self.fields.append((self._select, value))
            self._select_chosen = True

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self._textarea:
            name, text = self._textarea
            self.fields.append((name, text.replace("\r\n", "\n").replace("\n", "\r\n")))  # As browsers send it.
            self._textarea = None
        elif tag == "select" and self._select:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None

    def handle_data(self, data):
        if self._textarea is not None:
            # Browsers drop the single newline that follows <textarea>.
            self._textarea[1] += data.removeprefix("\n") if not self._textarea[1] else data


def form_data(response, form_id=None):
    """The data a browser would submit from the form (`form_id`, or the first form's fields)."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def submit_form(client, url, form_id, **changes):
    """Open the page at `url`, change fields of its form `form_id` as a user would, and post the form back to `url`."""
    data = form_data(client.get(url), form_id)
    data.update(changes)
    return client.post(url, data)
