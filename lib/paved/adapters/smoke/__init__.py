"""HTTP smoke checks: what a response must be, and judging one (pure)."""
