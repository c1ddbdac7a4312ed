"""The platform-neutral core: what happens when someone says something or time passes.

Nothing here imports a chat SDK, a scheduler or a database driver; "now" is always
an argument.
"""
