"""Forms of the review blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.text import LIMITS, form_filter


class FlagForm(FlaskForm):
    question_key = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the country"), filters=[form_filter("flag")],
                            validators=[DataRequired(), Length(max=LIMITS["flag"])])
    submit = SubmitField(_l("Flag this question"))


class ResolveForm(FlaskForm):
    reason = TextAreaField(_l("Why the flag is resolved"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Resolve the flag"))


class ConfirmReturnForm(FlaskForm):
    """The second step of returning: the analyst confirms after seeing the flags that go to the country."""

    confirm = BooleanField(_l("I have checked the flags listed above; return the assessment to the country"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Return to the country"))


class ConfirmValidateForm(FlaskForm):
    """The second step of validating; reasons for the unresolved flags come as reason-<flag id> fields."""

    confirm = BooleanField(_l("I understand that a validated assessment is locked for good"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Validate and lock"))
