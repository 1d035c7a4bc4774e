# The image every Airflow service in docker-compose.yml runs: Apache Airflow as Apache ships it, plus wiredesk and
# its DAGs. The Python tag is the one the lock files are resolved for (3.11).
FROM apache/airflow:3.3.2-python3.11

# wiredesk's runtime dependencies, pinned with hashes. requirements-runtime.lock holds those alone (no Airflow, no dev
# tools), at the versions requirements.lock pins, so the image runs what the test suite ran:
#   uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -c requirements.lock \
#       -o requirements-runtime.lock
# --no-deps installs exactly the lock, so pip never re-resolves (and so never upgrades) the image's Airflow; the
# `pip check` below fails the build when a pin clashes with what Airflow or its providers require.
COPY --chown=airflow:0 requirements-runtime.lock /opt/wiredesk/requirements-runtime.lock
RUN pip install --no-cache-dir --no-deps --require-hashes -r /opt/wiredesk/requirements-runtime.lock

# The package and the folders its wheel ships (pyproject.toml's force-include: sql, config, samples).
COPY --chown=airflow:0 pyproject.toml README.md /opt/wiredesk/src/
COPY --chown=airflow:0 pipeline /opt/wiredesk/src/pipeline
COPY --chown=airflow:0 sql /opt/wiredesk/src/sql
COPY --chown=airflow:0 config /opt/wiredesk/src/config
COPY --chown=airflow:0 samples /opt/wiredesk/src/samples
RUN pip install --no-cache-dir --no-deps /opt/wiredesk/src \
    && pip check \
    && python -c "from importlib.metadata import version as v; assert v('apache-airflow') == '3.3.2', v('apache-airflow')"

# The DAGs, for running the image without docker-compose.yml's bind mount of ./dags; and the airflow-init script.
COPY --chown=airflow:0 dags /opt/airflow/dags
COPY --chown=airflow:0 docker/airflow/init.sh /opt/wiredesk/init.sh

# Folders the compose file mounts named volumes on: a new volume takes its owner from the image's folder.
USER root
RUN mkdir -p /opt/wiredesk/data /opt/wiredesk/auth \
    && chown airflow:0 /opt/wiredesk/data /opt/wiredesk/auth
USER airflow
ENV WIREDESK_DATA_DIR=/opt/wiredesk/data
