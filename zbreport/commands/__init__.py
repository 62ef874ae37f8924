"""What each command does, without typer: cli.py declares the commands' arguments and calls these.

start.py's fast path calls them too, importing only the command it runs (see parameters.py).
"""
