"""``python -m exilebib`` runs the same CLI as the ``exilebib`` console script."""

from exilebib.cli import main

main()
