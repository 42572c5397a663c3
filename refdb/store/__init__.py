"""Storage: the only layer that speaks SQL."""
