"""A loopback Telegram Bot API for tests and the benchmark, and factories for what users do."""
