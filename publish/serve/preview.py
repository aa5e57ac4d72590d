"""The pages of a built PDF as PNG images (pypdfium2), each made when first
asked for and kept while the PDF is unchanged."""
from __future__ import annotations

import io
import threading
from pathlib import Path

SCALE = 1.25                   # 90 dpi: an A4 page 744 pixels wide


class Previews:
    """PNG pages of PDFs, cached by the PDF's path, size and modification time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pdfs: dict[Path, tuple[tuple[int, int], int, dict[int, bytes]]] = {}

    @staticmethod
    def version(pdf: Path) -> tuple[int, int] | None:
        try:
            st = pdf.stat()
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def _entry(self, pdf: Path):
        version = self.version(pdf)
        if version is None:
            return None
        cached = self._pdfs.get(pdf)
        if not cached or cached[0] != version:
            import pypdfium2 as pdfium
            document = pdfium.PdfDocument(str(pdf))
            try:
                cached = (version, len(document), {})
            finally:
                document.close()
            self._pdfs[pdf] = cached
        return cached

    def count(self, pdf: Path) -> int:
        """How many pages *pdf* has (0 when it does not exist)."""
        with self._lock:
            entry = self._entry(pdf)
            return entry[1] if entry else 0

    def page(self, pdf: Path, number: int) -> bytes | None:
        """Page *number* (1-based) of *pdf* as PNG bytes; None when there is no such page."""
        with self._lock:
            entry = self._entry(pdf)
            if not entry or not 1 <= number <= entry[1]:
                return None
            if number not in entry[2]:
                entry[2][number] = render(pdf, number)
            return entry[2][number]


def render(pdf: Path, number: int, scale: float = SCALE) -> bytes:
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[number - 1]
        image = page.render(scale=scale).to_pil()
        page.close()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, 'PNG', compress_level=1)
    return buffer.getvalue()
