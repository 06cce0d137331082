"""The Typer command line, and its rich rendering."""
