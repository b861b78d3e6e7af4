"""Writes go through these services: plain functions, one transaction each."""
