"""advisories: get, refresh and inspect the OSV database of security-scan's offline audit.

The judging is paved.securityscan.advisorydb (pure); the I/O is
paved.adapters.scanners.osv_archive and osv_offline; `paved advisories` is paved.cli.advisories.
"""
