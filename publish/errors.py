"""Errors a user can fix.  Each prints as one line naming the file (and line).

Anything that is not a :class:`PublishError` is a bug and keeps its traceback.
"""
from __future__ import annotations

from pathlib import Path


class PublishError(Exception):
    """A problem in the user's input or environment, reported as one line."""

    exit_status = 1

    def __init__(self, message: str, path: Path | str | None = None,
                 line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def location(self) -> str:
        if self.path is None:
            return ''
        where = str(self.path)
        if self.line is not None:
            where += f':{self.line}'
            if self.column is not None:
                where += f':{self.column}'
        return where

    def __str__(self) -> str:
        where = self.location()
        return f'{where}: {self.message}' if where else self.message


class SourceError(PublishError):
    """The source text cannot be read (binary, undecodable, empty)."""

    exit_status = 2


class ConfigError(PublishError):
    """The sidecar YAML or a setting is malformed."""

    exit_status = 2


class LayoutError(PublishError):
    """A layout or template is missing or broken."""


class FontError(PublishError):
    """A character has no glyph in the shipped fonts, or a font is missing."""


class RenderError(PublishError):
    """A renderer or the library under it failed."""


class EditionWarning(UserWarning):
    """Something a user should know about an edition that is still written
    (a limit of the place it goes to, say): one line in English and in
    Chinese, naming the file.  Writers raise it with :func:`warnings.warn`;
    the build collects it and the command line prints it."""

    def __init__(self, english: str, chinese: str, path: Path | str | None = None):
        super().__init__(english)
        self.english = english
        self.chinese = chinese
        self.path = Path(path) if path is not None else None
