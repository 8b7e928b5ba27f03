"""rollback-guard: judge a release by real metrics against thresholds and the stable version;
never promote without data. Pure: the I/O is behind paved.adapters interfaces."""
