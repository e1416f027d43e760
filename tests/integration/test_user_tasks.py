"""A team's own task module, named in TASKFLEET_IMPORTS, runs on a taskfleet worker on schedule."""

import textwrap

import resources
import stack

TEAM_TASKS = textwrap.dedent('''
    """A team's tasks: plain Celery, no taskfleet import needed."""
    from celery import shared_task

    @shared_task(name="crime_stats.tasks.add")
    def add(a, b):
        return a + b
''')


def test_a_user_task_module_is_loaded_and_scheduled(make_installation, namespace, tmp_path):
    code = tmp_path / "usercode"
    code.mkdir()
    (code / "crime_stats_tasks.py").write_text(TEAM_TASKS)
    install = make_installation(TASKFLEET_IMPORTS='["crime_stats_tasks"]', PYTHONPATH=str(code))
    stack.start(install)
    body = resources.scheduled_task("add", namespace, task="crime_stats.tasks.add", args=[2, 3])
    assert resources.apply(install, body).returncode == 0
    key = f"{namespace}/add"
    run = stack.eventually(
        lambda: next((r for r in stack.scheduled_runs(install, key) if r.state == "SUCCESS"), None),
        30,
        "the team's task to succeed",
    )
    assert run.task_name == "crime_stats.tasks.add"
    from taskfleet.worker.app import create_app
    from taskfleet.worker.settings import Settings

    celery = create_app(Settings(redis_url=install.redis_url))
    assert celery.AsyncResult(run.task_id).get(timeout=5) == 5
