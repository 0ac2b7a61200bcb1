"""OmniPOS: a keyboard-driven point of sale for small Norwegian shops."""

from omnipos_tui.messages import install as _install_texts

__version__ = "0.1.0"

# Errors raised by the core and the services carry a code; their English words live in
# omnipos_tui.messages. Installed here so that str(error) is English wherever OmniPOS runs
# (logs, tests, helper processes) without the core importing any text.
_install_texts()
