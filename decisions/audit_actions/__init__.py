"""Audit action codes of the decisions app."""
