"""agents layer of Quorum (see DESIGN.md §1)."""
