"""Customer and operator notifications: templated messages written to the outbox."""
