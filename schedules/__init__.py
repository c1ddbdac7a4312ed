"""Time: pure policy (working time, SLAs, quiet hours) and the scheduler wiring."""
