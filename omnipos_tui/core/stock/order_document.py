"""What a purchase order's PDF and CSV for the supplier are made from."""

from __future__ import annotations

from dataclasses import dataclass

from omnipos_tui.core.catalogue.products import Product
from omnipos_tui.core.shop.company import Company
from omnipos_tui.core.stock.documents import PurchaseOrder, Supplier, SupplierItem


@dataclass(frozen=True, slots=True)
class OrderDocument:
    """An order with everything its documents name.

    Attributes:
        order: The order.
        supplier: Its supplier.
        company: The shop.
        products: The products on it, by SKU.
        items: The supplier's items for them, by SKU.
    """

    order: PurchaseOrder
    supplier: Supplier
    company: Company | None
    products: dict[str, Product]
    items: dict[str, SupplierItem]
