"""The rulebooks shipped with Quorum (YAML data, read by tools.compliance)."""
