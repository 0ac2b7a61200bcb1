"""The till's widgets; each draws a view model and holds no business state."""

from omnipos_tui.ui.widgets.hint_bar import HintBar
from omnipos_tui.ui.widgets.key_footer import KeyFooter
from omnipos_tui.ui.widgets.lines import EntryLine, LastEventLine, WarningBar
from omnipos_tui.ui.widgets.sale_list import SaleList
from omnipos_tui.ui.widgets.status_header import StatusHeader
from omnipos_tui.ui.widgets.totals_bar import TotalsBar

__all__ = [
    "EntryLine",
    "HintBar",
    "KeyFooter",
    "LastEventLine",
    "SaleList",
    "StatusHeader",
    "TotalsBar",
    "WarningBar",
]
