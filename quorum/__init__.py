"""Entry points of Quorum: the one settings class, the service wiring and the CLI."""
