"""``python -m app.cli``: the same as the ``seircast`` console script."""

from app.cli import main

main()
