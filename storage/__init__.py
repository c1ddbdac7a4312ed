"""Persistence: SQLModel tables, the repository behind the core's port, migrations.

Only this package commits.
"""
