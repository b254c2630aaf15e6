"""Forms of the transfer blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, SubmitField
from wtforms.fields.choices import SelectChoice


class UploadForm(FlaskForm):
    file = FileField(_l("Workbook (.xlsx) or CSV file"), validators=[
        FileRequired(_l("Choose a file to upload.")),
        FileAllowed(["xlsx", "csv"], _l("Only .xlsx workbooks and .csv files can be uploaded."))])
    decimal = SelectField(_l("Numbers such as 1,500 or 1.500"), default="", choices=[
        SelectChoice("", _l("Refuse them as ambiguous and show the row")),
        SelectChoice(",", _l("The comma is the decimal mark (1,500 is one and a half)")),
        SelectChoice(".", _l("The point is the decimal mark (1,500 is one thousand five hundred)"))])
    submit = SubmitField(_l("Check the file"))


class ApplyForm(FlaskForm):
    """A button-only form: the CSRF token is all it carries; the changes stay on the server."""

    submit = SubmitField(_l("Apply the changes"))
