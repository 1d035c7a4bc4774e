"""Dedupe: recognise copies of the same story."""
