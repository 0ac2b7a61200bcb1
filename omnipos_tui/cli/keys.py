"""``omnipos keys``: the signing keys of the journal's signature chain.

``keys public`` prints the PEM public key (declared in RF-1348, and what anybody uses to
check the signatures of an export with OpenSSL); ``keys rotate`` starts a new key version
while the chain continues.
"""

from __future__ import annotations

from typing import Annotated

import typer

from omnipos_tui.cli.output import console
from omnipos_tui.cli.state import services

app = typer.Typer(no_args_is_help=True)


@app.command("public")
def public_key(
    ctx: typer.Context,
    version: Annotated[
        str | None,
        typer.Option("--version", help="Key version (default: the current one).", metavar="N"),
    ] = None,
) -> None:
    """Print the PEM public key of an RSA key version.

    Check a signature with it:
    openssl dgst -sha1 -verify pub.pem -signature sig.bin message.txt
    """
    pem = services(ctx).keys.public_pem(version)
    # Plain echo, not rich: the PEM must come out byte for byte, never wrapped or styled.
    typer.echo(pem.rstrip("\n"))


@app.command("rotate")
def rotate(ctx: typer.Context) -> None:
    """Create the next key version and sign with it from now on (the chain continues)."""
    keys = services(ctx).keys
    version = keys.rotate()
    console().print(
        f"Signing key version {version} is now current; earlier versions are kept so old "
        "signatures still verify. Declare the new public key in RF-1348."
    )


@app.command("list")
def list_keys(ctx: typer.Context) -> None:
    """List the key versions, oldest first."""
    keys = services(ctx).keys
    versions = keys.versions()
    if not versions:
        console().print("No signing keys yet; run 'omnipos init'.")
        return
    for version in versions:
        marker = "  (current)" if version == versions[-1] else ""
        console().print(f"version {version}{marker}")
