"""Forms of the admin blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.labels import ROLE_LABELS
from app.text import form_filter


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[form_filter("email", multiline=False)],
                       validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Full name"), filters=[form_filter("name", multiline=False)],
                       validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()],
                       validators=[DataRequired()])
    country = SelectField(_l("Country (national roles only)"), validators=[Optional()])
    password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Create user"))


class ActionForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries."""
