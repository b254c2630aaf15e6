"""Forms of the review blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.text import LIMITS, form_filter


class FlagForm(FlaskForm):
    question_key = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the country"), filters=[form_filter("flag")],
                            validators=[DataRequired(), Length(max=LIMITS["flag"])])
    submit = SubmitField(_l("Flag this question"))


class DecisionForm(FlaskForm):
    submit = SubmitField()
