"""deploy-strategy: direct, blue-green and canary rollouts, resumable, from the workflow job."""
