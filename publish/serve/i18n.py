"""The language of a request, and the interface's messages in it.

Every text of the interface comes from the CLI's catalogue
(:mod:`publish.messages`); a browser that prefers Chinese gets Chinese.
"""
from __future__ import annotations

from .. import messages


def request_language(accept_language: str | None) -> str:
    """'zh' when the browser prefers Chinese to English, else 'en'.

    The languages of ``Accept-Language`` are weighed by their ``q``; the
    first of Chinese and English in that order wins."""
    ranked = []
    for position, item in enumerate((accept_language or '').split(',')):
        tag, _, params = item.strip().partition(';')
        quality = 1.0
        for param in params.split(';'):
            key, _, value = param.strip().partition('=')
            if key == 'q':
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        if tag.startswith('zh'):
            return 'zh'
        if tag.startswith('en'):
            return 'en'
    return 'en'


class Translator:
    """``t('serve.ui.save')`` in one language, for templates."""

    def __init__(self, lang: str):
        self.lang = lang

    def __call__(self, message: str, /, **params) -> str:
        return messages.msg(message, self.lang, **params)

    def error(self, exc: BaseException) -> str:
        return messages.format_error(exc, self.lang)

    def text(self, english: str) -> str:
        """A message raised in English (a normalizer cue), translated when the catalogue knows it."""
        return messages.translate(english, self.lang)
