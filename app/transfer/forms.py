"""Forms of the transfer blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SubmitField


class UploadForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx) or CSV file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx workbooks and .csv files can be uploaded."))])
    submit = SubmitField(_l("Check the file"))


class ApplyForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries; the changes stay on the server."""

    submit = SubmitField(_l("Apply the changes"))
