"""Who the crawler says it is: a User-Agent naming wiredesk and its version, a contact URL, and an optional From.

Publishers look a crawler up by its User-Agent before they decide to let it in: the default names the project
(`wiredesk/0.1.0`), and the operator adds where to reach them (`WIREDESK_CONTACT_URL`), or replaces the whole
header (`WIREDESK_USER_AGENT`, or a source's `user_agent` in the sources file). `WIREDESK_FROM` adds the From
header (an e-mail address) RFC 9110 defines for robots.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipeline import __version__
from pipeline.errors import ConfigError

PRODUCT = f"wiredesk/{__version__}"
"""The default User-Agent: the project and its version."""

USER_AGENT_VARIABLE = "WIREDESK_USER_AGENT"
CONTACT_URL_VARIABLE = "WIREDESK_CONTACT_URL"
FROM_VARIABLE = "WIREDESK_FROM"

_MAILBOX = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def user_agent_with_contact(contact_url: str | None) -> str:
    """The default User-Agent, with the contact URL the way crawlers give one: `wiredesk/0.1.0 (+https://...)`."""
    return f"{PRODUCT} (+{contact_url})" if contact_url else PRODUCT


def header_value_problem(value: str) -> str | None:
    """Why `value` cannot be sent as a header value (empty, several lines, not printable ASCII), or None."""
    if not value.strip():
        return "must not be empty"
    if not (value.isascii() and value.isprintable()):
        return "must be one line of printable ASCII"
    return None


def identity_from_env(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """The User-Agent and From the environment sets (None for each it leaves alone); ConfigError naming the
    variable for a value that cannot be sent."""
    user_agent = environ.get(USER_AGENT_VARIABLE, "").strip() or None
    contact = environ.get(CONTACT_URL_VARIABLE, "").strip() or None
    sender = environ.get(FROM_VARIABLE, "").strip() or None
    if contact is not None and (not contact.startswith(("http://", "https://")) or header_value_problem(contact)):
        raise ConfigError(f"{CONTACT_URL_VARIABLE} must be an http(s) URL, got {contact!r}")
    if user_agent is not None and (problem := header_value_problem(user_agent)):
        raise ConfigError(f"{USER_AGENT_VARIABLE} {problem}, got {user_agent!r}")
    if sender is not None and not _MAILBOX.match(sender):
        raise ConfigError(f"{FROM_VARIABLE} must be an e-mail address, got {sender!r}")
    if user_agent is None and contact is not None:
        user_agent = user_agent_with_contact(contact)
    return user_agent, sender
