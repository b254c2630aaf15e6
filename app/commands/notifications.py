"""`flask notifications send-due`: deadline reminders and refused e-mail copies, for cron or a systemd timer."""
import click
from flask.cli import AppGroup

from app.services import notifications

notifications_cli = AppGroup("notifications", help="Notifications and deadline reminders.")


@notifications_cli.command("send-due")
def send_due() -> None:
    """Send the deadline reminders due now (7 days, 1 day before, overdue); never one twice.

    Then send again the e-mail copies of notifications the mail server refused in the last 48 hours.
    """
    sent = notifications.send_due()
    for reminder in sent:
        click.echo(f"{reminder.cycle}\t{reminder.country_code}\t{reminder.kind}\t{reminder.recipients} recipient(s)")
    click.echo(f"reminders sent: {len(sent)}")
    retried = notifications.send_owed_emails()
    if retried.sent or retried.failed:
        click.echo(f"e-mail copies sent again: {retried.sent}; refused again: {retried.failed}")


COMMANDS = (notifications_cli,)
