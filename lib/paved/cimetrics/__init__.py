"""ci-metrics: pipeline and DORA metrics from the GitHub API, incremental and cheap."""
