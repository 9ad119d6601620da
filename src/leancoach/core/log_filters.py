from __future__ import annotations

import logging


class OneLineWarning(logging.Filter):
    """Log a record as one WARNING line, without the traceback Django attaches.

    For refusals that are about the request, not the code: a bad Host header comes
    from scanners and misrouted proxies all day, and its traceback says nothing.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        return True
