"""The carriers' part of the composition root: which adapter answers for Bring
(``[carriers] bring``: Bring's Tracking API with the Mybring credentials from
``secrets.toml``, the simulated carrier, or none), each built on first use."""

from __future__ import annotations

from collections.abc import Callable

from omnipos_tui.core.clock import Clock
from omnipos_tui.core.orders.shipping import Carrier
from omnipos_tui.secrets_file import load_secrets
from omnipos_tui.settings import Settings
from omnipos_tui.wiring.lazy import Lazy


def carriers(settings: Settings, clock: Clock) -> dict[str, Callable[[], Carrier]]:
    """The carriers that can be asked, by code; nothing is built (no secrets read, no HTTP
    client made) until a parcel is tracked.

    Raises (when one is built):
        ConfigError: The secrets file is too open, or lacks ``[carriers.bring] api_uid``
            or ``api_key``.
    """
    kind = settings.carriers.bring
    if kind == "off":
        return {}
    if kind == "simulated":
        return {"bring": Lazy(lambda: _simulated(clock))}
    return {"bring": Lazy(lambda: _bring(settings))}


def _simulated(clock: Clock) -> Carrier:
    from omnipos_tui.integrations.carriers.simulated import SimulatedCarrier

    return SimulatedCarrier(clock, code="bring")


def _bring(settings: Settings) -> Carrier:
    from omnipos_tui.integrations.carriers.bring import BringCarrier

    secrets = load_secrets(settings.data_dir)
    section = settings.carriers
    return BringCarrier(
        api_uid=secrets.require("carriers.bring", "api_uid", "your Mybring user for tracking"),
        api_key=secrets.require("carriers.bring", "api_key", "your Mybring API key"),
        client_url=section.client_url,
        base_url=section.bring_url,
        timeout_s=float(section.timeout_s),
    )
