"""Forms of the notifications blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

LAST_SESSION = "session"


class PreferencesForm(FlaskForm):
    language = SelectField(_l("Language of notifications"), choices=[
        SelectChoice(LAST_SESSION, _l("The language of my last session")), SelectChoice("en", "English"),
        SelectChoice("ru", "Русский")])
    email = BooleanField(_l("Also send my notifications by e-mail"))
    submit = SubmitField(_l("Save"))


class ActionForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries."""
