"""The `quorum` command line."""
