"""E-mail: queued outbox rows, providers (Brevo, file, SMTP), templates, delivery events."""
