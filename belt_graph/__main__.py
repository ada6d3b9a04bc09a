"""``python -m belt_graph`` runs the command line."""

from .cli import main

main()
