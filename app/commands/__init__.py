"""Command-line groups; each module exposes COMMANDS."""
