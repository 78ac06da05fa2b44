"""``python -m exilebib`` runs the same program as the ``exilebib`` console script."""

from exilebib.cli import run

run()
