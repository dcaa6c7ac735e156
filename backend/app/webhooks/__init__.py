"""Outgoing webhooks: endpoints, events, signed deliveries with retries (Standard Webhooks)."""
