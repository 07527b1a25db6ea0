import json
import logging
from datetime import UTC, datetime


class JSONLineFormatter(logging.Formatter):
    """One JSON object per line: easy for log collectors to parse, never split by tracebacks."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Structured fields a caller passes as extra={"fields": {...}} (staff.events: sign-in events).
        entry.update(getattr(record, "fields", None) or {})
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = request.method
            entry["path"] = request.path
        status_code = getattr(record, "status_code", None)
        if status_code is not None:
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
