"""Celery workers and the scheduler: the same jobs as the embedded setup, on a broker.

    API ─▶ verified webhook deliveries, grouped ─▶ task `tradelane.ingest_webhooks` ─▶ broker
    scheduler (celery beat) ─▶ task `tradelane.tick` every TRADELANE_TICK_INTERVAL_S
    worker ─▶ tick: one `tradelane.run_job` per job and shard (switching: one per tenant)
           ─▶ run_job: its lease claimed (store/tick_leases.py), then poll · sweep ·
              switching of one tenant · outbox delivery (jobs.py)

Tasks are acknowledged only after they return (`acks_late`, `task_reject_on_worker_lost`), so
a worker that dies mid-task leaves its task on the broker for another worker; every task is
safe to run twice (webhook batches claim their task id with the events, jobs are idempotent
and leased). Without a broker `tradelane scheduler` runs the same tick in-process.
"""
