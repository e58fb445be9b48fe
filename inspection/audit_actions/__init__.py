"""Audit action codes of the inspection app."""
