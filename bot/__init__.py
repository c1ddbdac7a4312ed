"""The edges: one module per chat platform, plus startup, settings and wiring."""
