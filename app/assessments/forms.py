"""Forms of the assessments blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp

from app.text import LIMITS, form_filter


class StartForm(FlaskForm):
    country = SelectField(_l("Country"), validators=[DataRequired()])
    questionnaire = SelectField(_l("Questionnaire"), coerce=int, validators=[DataRequired()])
    cycle = StringField(_l("Cycle"), filters=[form_filter("cycle", multiline=False)],
                        validators=[DataRequired(), Length(max=20),
                                    Regexp(r"\A[0-9A-Za-z._-]+\Z", message=_l(
                            "Use only Latin letters, digits, dots or dashes, without spaces or slashes, "
                            "e.g. 2026 or 2026-H1."))])
    carry_forward = BooleanField(_l("Pre-fill from the country's last validated assessment"))
    submit = SubmitField(_l("Start assessment"))


class SubmitForm(FlaskForm):
    submit = SubmitField(_l("Submit to the Commission"))


class FlagResponseForm(FlaskForm):
    response = TextAreaField(_l("Your reply"), filters=[form_filter("reply")],
                             validators=[DataRequired(), Length(max=LIMITS["reply"])])
    submit = SubmitField(_l("Send reply"))


class ActionForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries."""
