"""Extension objects that views use: the login manager and the rate limiter.

Apart from app.extensions so that a view can use them without importing the database session
(DESIGN.md §2: views talk to services; the import contract in pyproject.toml keeps it so).
"""
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager

login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
