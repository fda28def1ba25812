"""Notifications: outbox messages delivered to webhooks signed the Standard Webhooks way."""
