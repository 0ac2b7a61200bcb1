"""The admin command line ``omnipos`` (Typer): one module per command group."""
