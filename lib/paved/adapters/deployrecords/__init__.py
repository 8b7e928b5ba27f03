"""paved's own deploy records (the JSON lines deploy-strategy appends), read back."""

from paved.adapters.deployrecords.interface import DeployRecord, DeployRecordReader

__all__ = ["DeployRecord", "DeployRecordReader"]
