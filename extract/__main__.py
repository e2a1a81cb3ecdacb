"""`python -m extract`: the `bulletin` command."""

from .cli import main

main()
