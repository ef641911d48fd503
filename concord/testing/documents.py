"""Reading back the documents Concord makes, as whoever receives them would."""

from __future__ import annotations

import io


def pdf_text(content: bytes) -> str:
    """Every page's words in order, one space between them: where the page wrapped a line is no
    part of what it says (pypdf: a real PDF parser, not a search of the bytes, whose text streams
    are compressed)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
