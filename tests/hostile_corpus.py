"""Hostile input for the comment form, and a check that a page shows none of it as live markup.

Every payload carries MARKER, so a payload that escaped its text node (into a tag, an attribute name,
a script or a comment) is found wherever it lands.
"""

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import quote

MARKER = "pwn3d"
ACCEPTED, REJECTED, MALFORMED = "accepted", "rejected", "malformed"


@dataclass(frozen=True)
class Case:
    """One hostile submission.

    `changes` are typed into the form; `raw` holds fields sent as raw percent-encoded bytes (malformed UTF-8).
    `outcome`: ACCEPTED (302, stored as typed), REJECTED (form re-shown, `message` next to `field`),
    MALFORMED (400, nothing stored).
    """

    name: str
    outcome: str
    changes: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    field: str = ""
    message: str = ""


def accepted(title, /, **changes):
    return Case(title, ACCEPTED, changes)


def rejected(title, field_name, message, /, **changes):
    return Case(title, REJECTED, changes, field=field_name, message=message)


def malformed(title, /, **changes):
    return Case(title, MALFORMED, changes)


TOO_LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"  # 255 characters
TOO_LONG_URL = "https://example.com/" + "p" * 181  # 201 characters
NOT_HTTP = "starting with http:// or https://"
NUL = "Null characters are not allowed."

CASES = [
    # XSS in the comment body: stored as typed, shown as text.
    accepted("script tag in body", comment=f"<script>alert('{MARKER}')</script>"),
    accepted("img onerror in body", comment=f'"><img src=x onerror=alert("{MARKER}")>'),
    accepted("svg onload in body", comment=f"<svg/onload=alert('{MARKER}')>"),
    accepted("textarea breakout in body", comment=f"</textarea><script>alert('{MARKER}')</script>"),
    accepted("iframe javascript src in body", comment=f'<iframe src="javascript:alert(`{MARKER}`)"></iframe>'),
    accepted("javascript link in body", comment=f'<a href="javascript:alert(1)">{MARKER}</a>'),
    accepted("data link in body", comment=f'<a href="data:text/html,<script>{MARKER}</script>">x</a>'),
    accepted("attribute breakout in body", comment=f"' onmouseover='alert(1)' data-{MARKER}='"),
    accepted("style block in body", comment=f"<style>body{{background:url('{MARKER}')}}</style>"),
    accepted("html comment in body", comment=f"<!-- {MARKER} --><!--<script>{MARKER}</script>-->"),
    accepted("pre-escaped entities in body", comment=f"&lt;script&gt;{MARKER}&lt;/script&gt; &amp;lt;"),
    accepted("feed CDATA breakout in body", comment=f"]]></description><script>{MARKER}</script><![CDATA["),
    accepted("markdown javascript link in body", comment=f"[click](javascript:alert('{MARKER}'))"),
    accepted("template syntax in body", comment=f"{{{{ settings.SECRET_KEY }}}} {{% debug %}} {MARKER}"),
    accepted("multiline script in body", comment=f"line one\r\n<script>\r\n{MARKER}()\r\n</script>\r\nend"),
    # XSS in the name (up to 50 characters).
    accepted("script tag in name", name=f"<script>{MARKER}</script>"),
    accepted("img onerror in name", name=f'"><img src=x onerror={MARKER}>'),
    accepted("onclick tag in name", name=f"<b onclick={MARKER}>Eve</b>"),
    accepted("quote breakout in name", name=f"Eve' onfocus='{MARKER}' autofocus='"),
    # XSS in the website.
    accepted("attribute breakout in website", url=f'https://example.com/"><script>{MARKER}</script>'),
    accepted("quoted handler in website", url=f"https://example.com/?q='onmouseover='{MARKER}'"),
    rejected("javascript: website", "url", NOT_HTTP, url=f"javascript:alert('{MARKER}')"),
    rejected("mixed-case javascript: website", "url", NOT_HTTP, url=f"JaVaScRiPt:alert('{MARKER}')"),
    rejected("javascript:// website", "url", NOT_HTTP, url=f"javascript://example.com/%0aalert('{MARKER}')"),
    rejected("data: website", "url", NOT_HTTP, url="data:text/html;base64,PHNjcmlwdD5wd24zZDwvc2NyaXB0Pg=="),
    rejected("vbscript: website", "url", NOT_HTTP, url=f"vbscript:msgbox('{MARKER}')"),
    rejected("website with spaces", "url", NOT_HTTP, url=f"https://example.com/ onmouseover={MARKER}"),
    # SQL-shaped strings: plain text to the database.
    accepted("drop table in body", comment=f"'; DROP TABLE django_comments; -- {MARKER}"),
    accepted("union select in body", comment=f"1 UNION SELECT password FROM auth_user -- {MARKER}"),
    accepted("like wildcard in body", comment=f"%' OR 1=1 -- {MARKER} \\' \\\\"),
    accepted("drop table in name", name="Robert'); DROP TABLE blog_article;--"),
    accepted("sql in email", email=f"{MARKER}'or'1'='1--@example.com"),
    rejected("sql in quoted email", "email", "Enter a valid email address.", email=f"\"{MARKER}' OR '1'='1\"@e.io"),
    accepted("sql in website query", url=f"https://example.com/?id=1'%20OR%20'1'='1&{MARKER}=1"),
    # Oversize values.
    # Bodies over COMMENT_MAX_BODY_BYTES (256 kB) are answered 413 unread: tests/config/test_body_limits.py.
    rejected("100 kB body", "comment", "at most 3000 characters", comment="x" * 100_000),
    rejected("3,001-character body", "comment", "at most 3000 characters", comment="y" * 3001),
    rejected("255-character email", "email", "at most 254 characters", email=TOO_LONG_EMAIL),
    rejected("201-character website", "url", "at most 200 characters", url=TOO_LONG_URL),
    rejected("51-character name", "name", "at most 50 characters", name="N" * 51),
    rejected("100 kB name", "name", "at most 50 characters", name="N" * 100_000),
    # NUL bytes and invisible or control characters.
    rejected("NUL byte in body", "comment", NUL, comment="before\x00after"),
    rejected("NUL byte in name", "name", NUL, name="Eve\x00"),
    rejected("NUL byte in email", "email", NUL, email="eve\x00@example.com"),
    rejected("NUL byte in website", "url", NUL, url="https://example.com/\x00"),
    rejected("zero-width-only name", "name", "at least one visible character", name="\u200b\u200c\u200d\ufeff"),
    rejected("blank name", "name", "Please enter your name.", name=" \t "),
    rejected("bidi-controls-only name", "name", "at least one visible character", name="\u202e\u202d\u2066\u2069"),
    accepted("RTL override in name", name=f"\u202e{MARKER}\u202c Eve"),
    accepted("RTL override in body", comment=f"Nice \u202egnp.exe{MARKER}\u202c article"),
    accepted("emoji and combining marks", name="Zoë 😀 Z̷a̷l̷g̷o̷", comment="🎉 ṭ̵̈h̵e̷ ̶e̶n̷d̷ 𝕏"),
    rejected("header injection in name", "name", "Enter your name on one line", name="Eve\r\nBcc: x@e.io"),
    rejected("tab in name", "name", "Enter your name on one line", name="Eve\tAdams"),
    rejected("header injection in email", "email", "Enter a valid email address.", email="e@x.io\r\nBcc: x@e.io"),
    # Malformed UTF-8, sent as raw bytes the way a broken client would.
    Case("malformed UTF-8 in body", REJECTED, raw={"comment": "%C3%28%FF%FE"}, field="comment",
         message="not valid UTF-8"),
    Case("malformed UTF-8 in name", REJECTED, raw={"name": "Ev%E9"}, field="name", message="not valid UTF-8"),
    Case("overlong UTF-8 slash in body", REJECTED, raw={"comment": "%C0%AF"}, field="comment",
         message="not valid UTF-8"),
    # Tampered hidden fields: 400, nothing stored.
    malformed("altered security hash", security_hash="0" * 40),
    malformed("missing security hash", security_hash=None),
    malformed("future timestamp", timestamp="4102444800"),
    malformed("non-numeric timestamp", timestamp=f"now{MARKER}"),
    malformed("honeypot filled in", honeypot=f"http://spam.example/{MARKER}"),
    malformed("content type of another model", content_type="auth.user"),
    malformed("unknown content type", content_type=f"blog.{MARKER}"),
    malformed("content type without a dot", content_type=MARKER),
    malformed("object_pk of no article", object_pk="987654321"),
    malformed("SQL in object_pk", object_pk="1 OR 1=1"),
    malformed("object_pk beyond bigint", object_pk="9" * 30),
    malformed("negative object_pk", object_pk="-1"),
    rejected("reply_to of no comment", "reply_to", "cannot take replies", reply_to="987654321"),
    rejected("reply_to beyond bigint", "reply_to", "cannot take replies", reply_to="9" * 30),
    rejected("non-numeric reply_to", "reply_to", "Enter a whole number.", reply_to=f"1;{MARKER}"),
    # Fields a reader does not own are ignored.
    accepted("extra model fields posted", is_public="0", is_removed="1", user="1", ip_address="1.2.3.4"),
]  # fmt: skip

CASE_IDS = [case.name for case in CASES]
ACCEPTED_CASES = [case for case in CASES if case.outcome == ACCEPTED]


def encoded_body(data, raw):
    """An urlencoded body of `data`, with the `raw` fields sent as given (already percent-encoded bytes)."""
    parts = []
    for name, value in data.items():
        if name in raw:
            continue
        for item in value if isinstance(value, list) else [value]:
            parts.append(f"{quote(name)}={quote(item, safe='')}")
    parts += [f"{quote(name)}={value}" for name, value in raw.items()]
    return "&".join(parts)


class _MarkupAudit(HTMLParser):
    """Collects every place where markup that a reader could have supplied would run or load."""

    JSON_LD = "application/ld+json"

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._script = None  # "src", "json-ld" or "inline" while inside a <script>
        self._style = False

    def handle_starttag(self, tag, attrs):
        self._check_element(tag, attrs)
        if tag == "script":
            attributes = dict(attrs)
            if attributes.get("src"):
                self._script = "src"
            elif attributes.get("type") == self.JSON_LD:
                self._script = "json-ld"
            else:
                self._script = "inline"
                self.problems.append(f"inline <script> {self.getpos()}")
        elif tag == "style":
            self._style = True

    def handle_startendtag(self, tag, attrs):
        self._check_element(tag, attrs)

    def handle_endtag(self, tag):
        if MARKER in tag:
            self.problems.append(f"marker in end tag </{tag}>")
        if tag == "script":
            self._script = None
        elif tag == "style":
            self._style = False

    def handle_data(self, data):
        if self._script == "json-ld":
            self._check_json_ld(data)
        elif self._script and MARKER in data:
            self.problems.append(f"marker inside a {self._script} <script>")
        if self._style and MARKER in data:
            self.problems.append("marker inside <style>")

    def handle_comment(self, data):
        if MARKER in data:
            self.problems.append("marker inside an HTML comment")

    def handle_decl(self, decl):
        if MARKER in decl:
            self.problems.append("marker inside a declaration")

    def handle_pi(self, data):
        if MARKER in data:
            self.problems.append("marker inside a processing instruction")

    def unknown_decl(self, data):
        if MARKER in data:
            self.problems.append("marker inside a CDATA or unknown declaration")

    def _check_json_ld(self, data):
        """Supplied text may sit in the JSON-LD block, but only as JSON with every "<" escaped."""
        if "<" in data:
            self.problems.append("unescaped < inside the JSON-LD <script>")
        try:
            json.loads(data)
        except ValueError:
            self.problems.append("JSON-LD <script> that is not valid JSON")

    def _check_element(self, tag, attrs):
        if MARKER in tag:
            self.problems.append(f"marker in tag name <{tag}>")
        for name, value in attrs:
            if MARKER in name:
                self.problems.append(f"marker in attribute name {name!r} of <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in {"href", "src", "action", "formaction", "srcset", "xlink:href"} and value:
                scheme = "".join(value.split()).lower()
                if scheme.startswith(("javascript:", "data:", "vbscript:")):
                    self.problems.append(f"{name}={value[:40]!r} on <{tag}>")


def unescaped_markup(html):
    """Every way `html` lets supplied markup run: inline scripts, on* handlers, script URLs, stray markers."""
    audit = _MarkupAudit()
    audit.feed(html)
    audit.close()
    return audit.problems
