"""Documents as PDF, drawn by WeasyPrint from a template of their own (no navigation, no form, no
CSRF token: only what the document says). A case summary today; conference minutes next.

The renderer loads nothing from outside the document: no file, no address, whatever text a record
holds (everything in it is escaped anyway). Fonts come from the system (fonts-dejavu-core)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class PdfUnavailable(Exception):
    """WeasyPrint's system libraries (Pango) are missing on this server."""


def render_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template, context, request=request)
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as error:  # the Python package is there, its C libraries are not
        raise PdfUnavailable(str(error)) from error
    # Only inline data: a document made from case records never reaches the network or the disk.
    fetcher = URLFetcher(allowed_protocols=["data"], allow_redirects=False, timeout=1)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response  # not cached, like every page of case data (concord.accounts.middleware)
