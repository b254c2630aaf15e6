"""Registers the command-line groups of DESIGN.md §5 on the app."""
from flask import Flask


def register(app: Flask) -> None:
    from app.commands import accounts, assessments, demo, notifications, questionnaires, scores

    for module in (accounts, assessments, demo, notifications, questionnaires, scores):
        for command in module.COMMANDS:
            app.cli.add_command(command)
