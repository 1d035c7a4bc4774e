"""wiredesk: wire stories from news outlets into a PostgreSQL warehouse."""

__version__ = "0.1.0"
