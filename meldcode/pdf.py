"""HTML to PDF for every document of the product (WeasyPrint), in memory, never on disk.

The font configuration (fontconfig and Pango's font map) is made once per thread and
reused: making it anew for every document cost about a tenth of a short document's
rendering. The documents load no web fonts (`@font-face`), so nothing accumulates in it.
"""

from __future__ import annotations

import threading

_local = threading.local()


def _font_config():
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 (loads fontconfig)

    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """The PDF of a complete HTML document (its styles inline)."""
    from weasyprint import HTML  # noqa: PLC0415 (third-party; only for documents)

    font_config = _font_config()
    return HTML(string=html).write_pdf(font_config=font_config)
