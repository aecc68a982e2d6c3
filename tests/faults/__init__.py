"""The fault matrix: real crawls against a misbehaving loopback server (RELIABILITY.md)."""
