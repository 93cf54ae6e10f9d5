"""Cryptographic building blocks for Rongrian: keyring, field encryption, indexes, receipts."""
