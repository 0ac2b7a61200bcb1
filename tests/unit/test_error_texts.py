"""Every refusal a cashier can meet at the till carries a bokmål text (``nb=``).

A static check over the source with ``ast``: in the modules the till reaches, each
``raise <PosError subclass>(...)`` passes ``nb=``, unless its class writes the Norwegian
text itself (``EmployeeLocked``, ``ApprovalRequired``) or the raise sits in a function a
cashier cannot reach (listed below with the reason). A new English-only refusal fails here
with its file and line.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from omnipos_tui.core import errors

PACKAGE = Path(errors.__file__).resolve().parent.parent

#: The modules whose refusals reach the till's screens.
TILL_REACHABLE = (
    "services/sales/opening.py",
    "services/sales/ringing.py",
    "services/sales/pricing.py",
    "services/sales/payments.py",
    "services/sales/completion.py",
    "services/sales/parking.py",
    "services/sales/returns.py",
    "services/sales/receipts.py",
    "services/sales/steps.py",
    "services/ledger/steps.py",
    "services/sales/register.py",
    "services/reports/service.py",
    "services/staff/service.py",
    "services/customers/service.py",
    "services/catalogue/service.py",
    "services/sales/instore_codes.py",
    "core/sales/sale.py",
    "core/sales/registrations.py",
    "core/sales/booking.py",
    "core/sales/lines.py",
    "core/sales/returns.py",
    "core/sales/tender.py",
    "core/ledger/transaction.py",
    "core/reports/report.py",
    "core/money.py",
)

#: Functions in those modules whose raises no cashier can trigger, and why.
NOT_AT_THE_TILL: dict[tuple[str, str], str] = {
    ("core/money.py", "Money.from_decimal"): "decimals from code (weights, VAT), not typed",
    ("core/sales/registrations.py", "aware"): "a naive time is a programming error, not input",
    ("core/sales/sale.py", "Sale.restore"): "rebuilding a stored sale; bad parts are corrupt data",
    ("core/sales/lines.py", "check_entries"): "a stored sale's line numbering; corrupt data",
    ("core/sales/returns.py", "sold_rate"): "a stored receipt's VAT code; corrupt data",
    (
        "core/ledger/transaction.py",
        "cash_movement",
    ): "kind and time come from code, not the cashier",
    ("services/catalogue/service.py", "CatalogueService.save_group"): "admin CLI only",
    (
        "services/catalogue/service.py",
        "CatalogueService._check_barcodes",
    ): "CSV import, admin CLI only",
    ("services/reports/service.py", "ReportService.reports"): "the kind comes from code or the CLI",
    (
        "core/reports/report.py",
        "report_from_event",
    ): "a stored report that is damaged; corrupt data",
    ("core/reports/report.py", "build_report"): "a naive time is a programming error",
    ("core/reports/report.py", "_Tally.add_transaction"): "another register's row; a query bug",
    ("core/reports/report.py", "_Tally.add_event"): "another register's event; a query bug",
}


def _error_classes() -> tuple[set[str], set[str]]:
    """The names of the PosError classes, and of those that write their own bokmål text."""
    names, own_text = set(), set()
    for name, cls in vars(errors).items():
        if inspect.isclass(cls) and issubclass(cls, errors.PosError):
            names.add(name)
            if "__init__" in vars(cls) and cls is not errors.PosError:
                own_text.add(name)
    return names, own_text


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class _Raises(ast.NodeVisitor):
    """Collects (line, function, class name, has nb=) for each ``raise Class(...)``."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[int, str, str, bool]] = []

    def _enter(self, node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_ClassDef = _enter
    visit_FunctionDef = _enter
    visit_AsyncFunctionDef = _enter

    def visit_Raise(self, node: ast.Raise) -> None:
        if isinstance(node.exc, ast.Call):
            has_nb = any(k.arg == "nb" for k in node.exc.keywords)
            name = _called_name(node.exc)
            self.found.append((node.lineno, ".".join(self.scope), name, has_nb))
        self.generic_visit(node)


def english_only_refusals(module: str) -> list[str]:
    """``file:line Class (in function)`` for each raise in ``module`` without a bokmål text."""
    names, own_text = _error_classes()
    names.add("CsvImportError")
    visitor = _Raises()
    visitor.visit(ast.parse((PACKAGE / module).read_text(encoding="utf-8")))
    offenders = []
    for line, function, name, has_nb in visitor.found:
        if name not in names or name in own_text or has_nb:
            continue
        if (module, function) in NOT_AT_THE_TILL:
            continue
        offenders.append(f"omnipos_tui/{module}:{line} {name} (in {function or 'module'})")
    return offenders


def test_every_refusal_the_till_can_meet_carries_a_bokmal_text() -> None:
    offenders = [o for module in TILL_REACHABLE for o in english_only_refusals(module)]
    assert offenders == [], "raise without nb=:\n" + "\n".join(offenders)


def test_the_scan_finds_a_refusal_without_a_bokmal_text(tmp_path: Path) -> None:
    source = tmp_path / "refusals.py"
    source.write_text(
        "def ring(code):\n"
        "    if not code:\n"
        "        raise InvalidInput('no code', nb='Ingen kode')\n"
        "    raise NotFound(f'unknown barcode {code}')\n",
        encoding="utf-8",
    )
    visitor = _Raises()
    visitor.visit(ast.parse(source.read_text(encoding="utf-8")))
    assert visitor.found == [(3, "ring", "InvalidInput", True), (4, "ring", "NotFound", False)]


@pytest.mark.parametrize("module", TILL_REACHABLE)
def test_each_listed_module_exists(module: str) -> None:
    assert (PACKAGE / module).is_file()


def test_every_exempt_function_still_raises_something() -> None:
    # An exemption whose function was renamed or moved would silently exempt nothing.
    for (module, function), _why in NOT_AT_THE_TILL.items():
        visitor = _Raises()
        visitor.visit(ast.parse((PACKAGE / module).read_text(encoding="utf-8")))
        assert any(f == function for _, f, _, _ in visitor.found), (module, function)


#: ``str(error)`` in the till that is not screen text (stored data), by file and reason.
STORED_NOT_SHOWN = {"ui/checkout.py": "a cancelled card payment's reason is stored, in English"}


def str_of_caught_errors(module: str) -> list[str]:
    """``file:line`` of each ``str(<name>)`` where ``<name>`` was bound by ``except ... as``."""
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    caught = {h.name for h in ast.walk(tree) if isinstance(h, ast.ExceptHandler) and h.name}
    return [
        f"omnipos_tui/{module}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "str"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id in caught
    ]


def test_the_till_turns_errors_into_text_only_through_error_text() -> None:
    modules = sorted(str(p.relative_to(PACKAGE)) for p in (PACKAGE / "ui").rglob("*.py"))
    found = {m: str_of_caught_errors(m) for m in modules}
    offenders = [o for m, hits in found.items() if m not in STORED_NOT_SHOWN for o in hits]
    assert offenders == [], "use ui.i18n.error_text, not str():\n" + "\n".join(offenders)
    assert all(found[m] for m in STORED_NOT_SHOWN), "an exemption that exempts nothing"
