"""The version of the scoring arithmetic, recorded with every score."""

# Bump when a change to the engine can change any number it returns.
SCORING_VERSION = "2.0.0"
