"""The full-screen Textual till.

The pure parts (key map, entry line, wedge detector, view models, texts) import no Textual,
so they are unit-tested without a terminal; widgets and screens draw the view models.
"""
