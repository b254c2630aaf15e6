"""Forms of the cycles blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    """Several choices shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OpenCycleForm(FlaskForm):
    label = StringField(_l("Cycle"), validators=[
        DataRequired(), Length(max=20),
        Regexp(r"^[0-9A-Za-z._-]+$", message=_l("Use letters, digits, dots or dashes, e.g. 2026."))])
    questionnaire = SelectField(_l("Questionnaire"), coerce=int, validators=[DataRequired()])
    countries = CheckboxesField(_l("Participating countries"), validators=[DataRequired()])
    submission_deadline = DateField(_l("Submission deadline"), validators=[DataRequired()])
    review_deadline = DateField(_l("Review deadline (optional)"), validators=[Optional()])
    create_drafts = BooleanField(_l("Start a draft assessment for every participating country"), default=True)
    carry_forward = BooleanField(_l("Pre-fill the drafts from each country's last validated assessment"))
    submit = SubmitField(_l("Open the cycle"))


class CloseCycleForm(FlaskForm):
    confirm = BooleanField()
    submit = SubmitField(_l("Close the cycle"))
