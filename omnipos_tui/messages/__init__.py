"""What OmniPOS says to a person about an error, a refusal or a state: the words of every
code the core and the services raise, in bokmål and English, and the one renderer.

The core and the services never word a text: they raise a :class:`~omnipos_tui.core.errors.
PosError` with a code and parameters, or hand over a :class:`~omnipos_tui.core.errors.
Message`. The front ends turn it into words here with :func:`render`: the till in its
language and with its live key map, the CLI in English. The tables are data
(:mod:`omnipos_tui.messages.catalogue`); a test checks that every code raised in the core
and the services has both texts and that their placeholders are the parameters it passes.

A text is a ``str.format`` template over the parameters:

- ``{name}``: a parameter, worded for the language (an amount as ``12,50``, a decimal with
  a comma in bokmål, a known state or role in words, a nested message or error rendered in
  the same language, a list joined with commas); ``{name!r}`` quotes it; ``{day:%d.%m.%Y}``
  formats a date; ``{items:lines}`` puts each item of a list on a line of its own.
- ``{key.<command>}``: the key that sends a till command (``{key.recall}`` is "F6" with the
  shipped key map, or whatever key a shop moved it to). Without a key map (the CLI, logs)
  the command is named in angle quotes (``‹recall›``).

Importing ``omnipos_tui`` installs the English texts as ``str()`` of errors
(:func:`install`), so logs and tests read English.
"""

from __future__ import annotations

from omnipos_tui.messages.render import KeyNames, install, lead, render

__all__ = ["KeyNames", "install", "lead", "render"]
