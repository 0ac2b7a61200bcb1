"""``omnipos till`` started while its PostgreSQL server is away (issue 15): it says so in the
shop's language, waits, and goes on by itself once the server answers; a server that
refuses the till is left to the start-up's own error."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fault_proxy import FaultProxy
from ledger_support import open_shop

from omnipos_tui.cli.till import wait_for_database

pytestmark = pytest.mark.postgres


def test_a_till_started_with_the_line_cut_waits_and_goes_on_when_it_is_back(
    pg_url: str, tmp_path: Path
) -> None:
    open_shop(tmp_path, url=pg_url)[0].close()
    line = FaultProxy(5432).start()
    line.cut()
    services, _ = open_shop(tmp_path, url=line.url(pg_url), initialise=False)
    said: list[str] = []
    told = threading.Event()

    def say(text: str) -> None:
        said.append(text)
        told.set()

    waiting = threading.Thread(
        target=wait_for_database,
        args=(services.database, "nb"),
        kwargs={"say": say, "pause_s": 0.05},
    )
    waiting.start()
    try:
        assert told.wait(30)
        assert waiting.is_alive()  # still waiting while the line is cut
        line.restore()
        waiting.join(timeout=60)
        assert not waiting.is_alive()
    finally:
        line.restore()
        waiting.join(timeout=60)
    assert len(said) == 1
    assert said[0].startswith("Databasen svarer ikke (")
    assert "kassen venter på den og starter når den svarer (Ctrl+C avbryter)" in said[0]
    assert services.setup.is_initialised()  # the start-up goes on
    services.close()
    line.stop()


def test_a_server_that_refuses_the_till_is_not_waited_for(tmp_path: Path) -> None:
    url = "postgresql://postgres@127.0.0.1:5432/omnipos_no_such_database"
    services, _ = open_shop(tmp_path, url=url, initialise=False)
    said: list[str] = []
    wait_for_database(services.database, "nb", say=said.append, pause_s=0.05)
    assert said == []
    services.close()
