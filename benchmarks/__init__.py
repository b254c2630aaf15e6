"""Scripts that measure speed and memory, run by hand (never by pytest)."""
