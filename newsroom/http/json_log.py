"""Log records as one JSON object a line, for a log collector to index (LOG_FORMAT=json).

A dozen lines of our own rather than a dependency: the fields are few and fixed. A record's
request (Django's request loggers and ours pass it as `extra`) gives the path and method, its
`status_code` the status, and an exception its type and traceback, kept in the same line.
"""

import datetime as dt
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # django.server passes its socket as `request`: only an HttpRequest has a path.
        request = getattr(record, "request", None)
        if hasattr(request, "path") and hasattr(request, "method"):
            entry["path"] = request.path
            entry["method"] = request.method
        if (status := getattr(record, "status_code", None)) is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
