"""Registers the command-line groups of DESIGN.md §5 on the app."""
from flask import Flask


def register(app: Flask) -> None:
    from app.commands import accounts, demo, questionnaires

    for module in (accounts, demo, questionnaires):
        for command in module.COMMANDS:
            app.cli.add_command(command)
