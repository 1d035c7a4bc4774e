"""Alerts to people: a failed task, a check that fails or warns, a night not done by its deadline.

They go through Airflow's notifier interface to the Airflow connection `wiredesk_alerts`: an SMTP connection sends
mail (its extra names the recipients, `to`, and the sender, `from_email`). With no such connection, no alert is
sent; that is logged, and nothing else changes. The DAG files import this module when they are parsed: it imports
Airflow and the standard library only.
"""

from __future__ import annotations

import html
import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from airflow.sdk import BaseHook, BaseNotifier
from airflow.sdk.definitions.callback import AsyncCallback
from airflow.sdk.definitions.deadline import DeadlineAlert, DeadlineReference
from airflow.sdk.exceptions import AirflowNotFoundException

ALERTS_CONNECTION = "wiredesk_alerts"
"""Airflow connection id of the alerts (`AIRFLOW_CONN_WIREDESK_ALERTS` in the environment works)."""
DEADLINE_VARIABLE = "WIREDESK_DEADLINE_MINUTES"
DEFAULT_DEADLINE_MINUTES = 240.0

# A mapped task by the name its map_index_template gives it (a fetch task's source), else by its index.
_TASK = "{{ ti.task_id }}{{ '[%s]' % (ti.rendered_map_index or ti.map_index) if ti.map_index >= 0 else '' }}"
FAILURE_SUBJECT = "wiredesk: {{ ti.dag_id }} " + _TASK + " failed"
FAILURE_BODY = (
    "{{ ti.dag_id }}, run {{ run_id }}: task " + _TASK + " failed on try {{ ti.try_number }}.\n\n"
    "{{ exception }}\n\nLog: {{ ti.log_url }}"
)

log = logging.getLogger(__name__)


class AlertNotifier(BaseNotifier):
    """Send `subject` and `body` (plain text; Jinja templates rendered with the task's context) through the alerts
    connection `conn_id`: on a task's failure by default."""

    def __init__(
        self, subject: str = FAILURE_SUBJECT, body: str = FAILURE_BODY, conn_id: str = ALERTS_CONNECTION, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        # Kept as templates and rendered for each call (not in place, as template_fields would be): one notifier in
        # a DAG's default_args serves every task.
        self.subject_template = subject
        self.body_template = body
        self.conn_id = conn_id

    def notify(self, context: Any) -> None:
        """Send the alert rendered for `context`, or log that no connection is configured."""
        jinja = self.get_template_env(dag=context.get("dag"))
        subject = self.render_template(self.subject_template, context, jinja)
        body = self.render_template(self.body_template, context, jinja)
        send_alert(str(subject), str(body), self.conn_id)


def send_alert(subject: str, body: str, conn_id: str = ALERTS_CONNECTION) -> bool:
    """Send an alert through the connection `conn_id`; False (and a log line) when no such connection exists."""
    try:
        connection = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        log.info("no Airflow connection %s: alert not sent: %s", conn_id, subject)
        return False
    _smtp_notifier(connection.conn_type, connection.extra_dejson, subject, body, conn_id).notify({})
    log.info("alert sent through %s: %s", conn_id, subject)
    return True


def run_deadline(environ: Mapping[str, str] = os.environ) -> DeadlineAlert | None:
    """The deadline of a DAG run: done within `WIREDESK_DEADLINE_MINUTES` (240) of being queued, or
    `deadline_missed` alerts; None when the variable is `off`."""
    text = (environ.get(DEADLINE_VARIABLE) or str(DEFAULT_DEADLINE_MINUTES)).strip()
    if text == "off":
        return None
    try:
        minutes = float(text)
    except ValueError:
        minutes = -1.0
    if not minutes > 0:
        raise ValueError(f"{DEADLINE_VARIABLE} must be a number of minutes > 0, or off; not {text!r}")
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=timedelta(minutes=minutes),
        callback=AsyncCallback(deadline_missed, kwargs={"conn_id": ALERTS_CONNECTION}),
    )


async def deadline_missed(*, context: Mapping[str, Any], conn_id: str = ALERTS_CONNECTION) -> bool:
    """The `DeadlineAlert` callback (run by the triggerer): say which DAG run is not done by when; False (and a log
    line) when no alerts connection exists."""
    run, deadline = context.get("dag_run", {}), context.get("deadline", {})
    dag_id, run_id = run.get("dag_id", "?"), run.get("dag_run_id", "?")
    subject = f"wiredesk: {dag_id} not done by its deadline"
    body = (
        f"{dag_id}, run {run_id} (data interval {run.get('data_interval_start')} to {run.get('data_interval_end')}, "
        f"queued at {run.get('queued_at')}) was not done by its deadline, {deadline.get('deadline_time')}: "
        f"it is {run.get('state')}. Its tasks' logs and the grid say which task is late or stuck."
    )
    try:
        connection = await BaseHook.aget_connection(conn_id)
    except AirflowNotFoundException:
        log.info("no Airflow connection %s: alert not sent: %s", conn_id, subject)
        return False
    await _smtp_notifier(connection.conn_type, connection.extra_dejson, subject, body, conn_id).async_notify({})
    log.info("alert sent through %s: %s", conn_id, subject)
    return True


def _smtp_notifier(conn_type: str | None, extra: Mapping[str, Any], subject: str, body: str, conn_id: str) -> Any:
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    if conn_type != "smtp":
        raise ValueError(f"Airflow connection {conn_id}: alerts go through an smtp connection, not {conn_type}")
    recipients = extra.get("to")
    if not recipients:
        raise ValueError(f"Airflow connection {conn_id}: its extra must name the recipients, `to`")
    # The SMTP provider sends HTML: the text is escaped and kept as written.
    content = f"<pre>{html.escape(body)}</pre>"
    return SmtpNotifier(to=recipients, subject=subject, html_content=content, smtp_conn_id=conn_id)
