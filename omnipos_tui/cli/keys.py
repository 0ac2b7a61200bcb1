"""``omnipos keys``: the signing keys of the journal's signature chain.

``keys public`` prints the PEM public key of any register's key version from the database
(declared in RF-1348, and what anybody uses to check the signatures of an export with
OpenSSL); ``keys rotate`` starts a new key version of this register while the chain
continues; ``keys list`` shows every register's key versions recorded in the database.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.auth import EmployeeOption, PinOption, Role, who
from omnipos_tui.cli.output import console
from omnipos_tui.cli.state import services

app = typer.Typer(no_args_is_help=True)


@app.command("public")
def public_key(
    ctx: typer.Context,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="Key version (default: the register's newest).", metavar="V"
        ),
    ] = None,
    register: Annotated[
        str | None,
        typer.Option("--register", help="Register (default: this one).", metavar="ID"),
    ] = None,
) -> None:
    """Print the PEM public key of a register's RSA key version, from the database.

    Check a signature with it:
    openssl dgst -sha1 -verify pub.pem -signature sig.bin message.txt
    """
    pem = services(ctx).keys.public_pem(version, register_id=register)
    # Plain echo, not rich: the PEM must come out byte for byte, never wrapped or styled.
    typer.echo(pem.rstrip("\n"))


@app.command("rotate")
def rotate(ctx: typer.Context, employee: EmployeeOption = None, pin: PinOption = None) -> None:
    """Create the next key version and sign with it from now on (the chain continues;
    admin only)."""
    admin = who(ctx, employee, pin, role=Role.ADMIN)
    keys = services(ctx).keys
    version = keys.rotate(employee=admin.number)
    console().print(
        f"Signing key version {version} is now current; earlier versions are kept so old "
        "signatures still verify. Declare the new public key in RF-1348."
    )


@app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List every register's key versions recorded in the database, oldest first."""
    keys = services(ctx).keys
    recorded = keys.recorded()
    if not recorded:
        local = keys.versions()
        if not local:
            console().print("No signing keys yet; run 'omnipos init'.")
            return
        # A database from before keys were recorded: this till records them at its next sale.
        console().print(f"Not recorded in the database yet; key files here: {', '.join(local)}")
        return
    for n, key in enumerate(recorded):
        last = n + 1 == len(recorded) or recorded[n + 1].register_id != key.register_id
        marker = "  (current)" if last else ""
        console().print(
            f"register {key.register_id} version {key.key_version} {key.algorithm} "
            f"since {key.created_at:%Y-%m-%d %H:%M} UTC by {key.created_by}{marker}",
            highlight=False,
        )
