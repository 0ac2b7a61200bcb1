"""Exports to other systems: SAF-T Cash Register (and later accounting), as streaming XML.

Writers here take plain core records as iterables and write element by element, so a year
of data exports in flat memory. They may use lxml; they never touch storage.
"""
