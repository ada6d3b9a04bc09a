"""``python -m belt_graph`` runs the command line."""

from ._entry import main

main()
