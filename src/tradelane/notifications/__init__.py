"""Notifications: outbox messages delivered to webhooks signed the Standard Webhooks way, and
the customer notices (templated, in the buyer's language) some of them carry."""
