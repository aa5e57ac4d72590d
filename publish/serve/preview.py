"""The pages of a built PDF as PNG images (pypdfium2), kept while the PDF is unchanged."""
from __future__ import annotations

import io
import threading
from pathlib import Path

SCALE = 1.25                   # 90 dpi: an A4 page 744 pixels wide


class Previews:
    """PNG pages of PDFs, cached by the PDF's path, size and modification time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pages: dict[Path, tuple[tuple[int, int], list[bytes]]] = {}

    @staticmethod
    def version(pdf: Path) -> tuple[int, int] | None:
        try:
            st = pdf.stat()
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns

    def pages(self, pdf: Path) -> list[bytes]:
        """Every page of *pdf* as PNG bytes (none when it does not exist)."""
        version = self.version(pdf)
        if version is None:
            return []
        with self._lock:
            cached = self._pages.get(pdf)
            if cached and cached[0] == version:
                return cached[1]
            pages = render(pdf)
            self._pages[pdf] = (version, pages)
            return pages

    def count(self, pdf: Path) -> int:
        return len(self.pages(pdf))


def render(pdf: Path, scale: float = SCALE) -> list[bytes]:
    import pypdfium2 as pdfium
    out = []
    document = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            page = document[index]
            image = page.render(scale=scale).to_pil()
            buffer = io.BytesIO()
            image.save(buffer, 'PNG', optimize=False, compress_level=3)
            out.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return out
