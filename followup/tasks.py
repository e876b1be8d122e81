"""Reminders as a background job (the rules are in ``followup.reminders``)."""

from django_tasks import task

from core.jobs import JobFailed, retrying

from .reminders import send_occasion_reminders, send_reminders


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


@task()
@retrying(attempts=3)
def send_occasion_reminders_task(*, occasion_id: int, scorecard_ids: list[int] | None = None):
    """The occasion page's "Påminn" button: remind those late for one occasion. Like the daily
    job, a retry sends only what is still unsent (``ReminderSent``), so a second press the same
    day, or a retry, sends nobody a second e-mail."""
    from .models import FollowUpOccasion

    occasion = FollowUpOccasion.objects.filter(pk=occasion_id).first()
    if occasion is None:  # deleted since the button was pressed: nothing to remind about
        return {"summary": "Tillfället finns inte längre", "sent": 0}
    summary = send_occasion_reminders(occasion, scorecards=scorecard_ids)
    result = {
        "summary": f"{summary.sent} av {summary.reminders} påminnelser skickade för {occasion}"
        + (f", {summary.already_sent} redan skickade i dag" if summary.already_sent else ""),
        "reminders": summary.reminders,
        "sent": summary.sent,
        "already_sent": summary.already_sent,
        "failed": summary.failed,
        "without_email": sorted(summary.without_email),
    }
    if summary.failed:
        raise JobFailed(f"{summary.failed} av {summary.reminders} påminnelser kunde inte skickas.")
    return result
