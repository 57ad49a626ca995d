"""Tools for content editors: quality report, review of real conversations, publishing (docs/editors.md)."""
