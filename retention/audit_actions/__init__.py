"""Audit action codes of retention and destruction."""
