"""Notifications: the transactional outbox and its transports (email; LINE will join)."""
