"""A message as a catalogue key and its values (a file refused, a month missing from a roll-up):
English as a str, any language by render."""

from __future__ import annotations

from typing import Any

from svcperf.i18n import cli_message


class Why(str):
    """One message (i18n.CLI_MESSAGES[key] filled in with values), the English text as a str.

    The readers and the roll-up name the key and the values and know no language; whoever
    tells the user calls `render(lang)`. A value that is itself a Why (the part of a limit
    refusal that says what was found) is rendered in the same language.
    """

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Why:
        self = super().__new__(cls, _fill(key, "en", values))
        self.key, self.values = key, values
        return self

    def render(self, lang: str = "en") -> str:
        """The sentence in `lang` (en or zh)."""
        return _fill(self.key, lang, self.values)

    def __reduce__(self) -> tuple[Any, ...]:  # str's own would rebuild it from the text
        return _rebuilt, (self.key, self.values)


def _rebuilt(key: str, values: dict[str, Any]) -> Why:
    return Why(key, **values)


def _fill(key: str, lang: str, values: dict[str, Any]) -> str:
    return cli_message(key, lang, **{k: v.render(lang) if isinstance(v, Why) else v
                                     for k, v in values.items()})


def render(text: str, lang: str = "en") -> str:
    """A message that may be a Why, in `lang`; any other text as it is."""
    return text.render(lang) if isinstance(text, Why) else text
