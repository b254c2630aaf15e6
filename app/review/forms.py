"""Forms of the review blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class FlagForm(FlaskForm):
    question_key = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(_l("Comment for the country"), validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField(_l("Flag this question"))


class DecisionForm(FlaskForm):
    submit = SubmitField()
