"""The SAF-T export's helper process, ``python -m omnipos_tui.wiring.saft_helper``: storage
reads the export's rows (``storage/export_helper.py``) and hands them to the SAF-T record
describer (``exports/saft_described.py``), which sends the described records to the
exporting process. Both are imported here, in the composition root, where import-linter
sees them: storage never imports the exporter. ``bootstrap`` gives this module to the
export's row reader (``storage.export_reader.ExportRowReader``) to run.
"""

from __future__ import annotations

import sys

from omnipos_tui.storage import export_helper


def main() -> int:
    """Run the helper with the SAF-T record describer."""
    # Imported here, not at the top: bootstrap imports this module to name it, and the
    # describer brings lxml, which the till's start-up does without.
    from omnipos_tui.exports.saft_described import describe

    return export_helper.main(describe)


if __name__ == "__main__":
    sys.exit(main())
