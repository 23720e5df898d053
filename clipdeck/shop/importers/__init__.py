"""Catalog importers: each turns a file into ``ProductRecord``s and per-row errors."""
