"""Fetch: get raw documents from files, dumps and (later) the web."""
