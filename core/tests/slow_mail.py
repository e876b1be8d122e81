"""An e-mail backend for the worker tests: each message takes ``SLOW_MAIL_SECONDS`` (0.5 s) to
"send", as a real mail server does, then lands as a file in the folder ``SLOW_MAILBOX``."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowMailbox(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["SLOW_MAILBOX"])
        for message in messages:
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "0.5")))  # the conversation
            (folder / f"{uuid.uuid4().hex}.eml").write_text(f"{message.to[0]}\n{message.subject}\n")
        return len(messages)
