"""Who is told of what: in-app notifications, the e-mail outbox and SMTP, due-date reminders."""
