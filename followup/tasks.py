"""Reminders as a background job (the rules are in ``followup.reminders``)."""

from django_tasks import task

from core.jobs import JobFailed, retrying

from .reminders import send_reminders


@task()
@retrying(attempts=3)
def send_reminders_task(*, days: int = 7):
    """Send the reminders that are due. Each e-mail sent is recorded per person, so a run that
    fails part-way (the mail server refused some) is retried, and the retry, like a run after a
    killed worker, sends only what is still unsent: nobody gets two e-mails the same day."""
    summary = send_reminders(days=days, write=lambda line: None)
    result = {
        "summary": f"{summary.sent} av {summary.reminders} påminnelser skickade"
        + (f", {summary.already_sent} redan skickade i dag" if summary.already_sent else "")
        + (f", {summary.failed} misslyckades" if summary.failed else ""),
        "occasions": summary.occasions,
        "reminders": summary.reminders,
        "sent": summary.sent,
        "already_sent": summary.already_sent,
        "failed": summary.failed,
        "without_email": sorted(summary.without_email),
    }
    if summary.failed:
        raise JobFailed(f"{summary.failed} av {summary.reminders} påminnelser kunde inte skickas.")
    return result
