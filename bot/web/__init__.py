"""The web desk for staff and leaders: tickets, digest, staff, the 问题交接单."""
