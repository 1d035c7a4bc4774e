"""The two kinds of failure: bad input is recorded and the batch goes on; transient trouble is retried."""

from __future__ import annotations


class WiredeskError(Exception):
    """Base class of every error wiredesk raises on purpose."""


class ConfigError(WiredeskError):
    """A configuration file or variable is invalid; the message names the file or variable and the key."""


class RejectedInput(WiredeskError):
    """One input cannot become an article; it is recorded as a reject and the rest of the batch goes on.

    `reason` is a short stable code analysts can group by (`not-utf8`, `unreadable`, `empty-body`, ...);
    `detail` is the human explanation.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class TransientError(WiredeskError):
    """The network or the database failed in a way a retry may fix."""


class SourceUnreachable(TransientError):
    """Every request a run made to a source failed; the message names each source and the reasons."""


class NothingLanded(WiredeskError):
    """A run given inputs landed none of them: it found none, or rejected every one it read. The run is recorded
    failed, its rejects recorded all the same; the message names the inputs or the reasons."""


class WiredeskWarning(UserWarning):
    """Warnings wiredesk emits; the test suite turns them into errors."""
