"""publish: newspaper articles copied out of multi-column pages → PDF, DOCX and EPUB."""

__version__ = '0.1.0'
