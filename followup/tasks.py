"""Reminders as a background job (the rules are in ``followup.reminders``)."""

from django_tasks import task

from core.jobs import JobFailed, retrying

from .reminders import send_reminders


@task()
@retrying(attempts=3)
def send_reminders_task(*, days: int = 7):
    """Send the reminders that are due. Retried only when nothing was sent (the mail server
    refused every one): a partial failure is reported, not retried, so nobody gets two e-mails."""
    summary = send_reminders(days=days, write=lambda line: None)
    result = {
        "summary": f"{summary.sent} av {summary.reminders} påminnelser skickade"
        + (f", {summary.failed} misslyckades" if summary.failed else ""),
        "occasions": summary.occasions,
        "reminders": summary.reminders,
        "sent": summary.sent,
        "failed": summary.failed,
        "without_email": sorted(summary.without_email),
    }
    if summary.failed and not summary.sent:
        raise JobFailed(f"Ingen av {summary.failed} påminnelser kunde skickas.")
    return result
