"""The GitHub workflows cannot run here, so they are checked here.

Each file in .github/workflows/ must validate against the GitHub-workflow JSON schema that
check-jsonschema bundles (no download), and the two workflows must keep their promises:
nothing is published to GitHub Pages before .ci/run (the whole suite, browser tests
included) has passed in the same job, and every pull request runs .ci/run.
"""
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML   # YAML 1.2: the key `on` stays a string (PyYAML reads True)

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.y*ml"))
RUN_CI = "bash .ci/run"


def validate(*paths):
    return subprocess.run([sys.executable, "-m", "check_jsonschema",
                           "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
                          capture_output=True, text=True)


def load(name):
    return YAML(typ="safe").load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))


def test_both_workflows_are_there():
    assert {p.name for p in WORKFLOWS} >= {"pages.yml", "ci.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_the_schema(path):
    done = validate(path)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path):
    # a step may not both `run` a command and `use` an action; a job needs `runs-on`
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps:\n"
                      "      - run: echo\n        uses: actions/checkout@v4\n", encoding="utf-8")
    done = validate(broken)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "broken.yml" in done.stdout


def steps_running(job, command):
    return [i for i, step in enumerate(job["steps"]) if command in step.get("run", "")]


def test_pages_publishes_only_after_the_tests_pass():
    jobs = load("pages.yml")["jobs"]
    uploads = {name: job for name, job in jobs.items()
               if any(s.get("uses", "").startswith("actions/upload-pages-artifact")
                      for s in job.get("steps", []))}
    assert len(uploads) == 1
    (build_name, build), = uploads.items()
    upload_step = next(i for i, s in enumerate(build["steps"])
                       if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    tests = steps_running(build, RUN_CI)
    # same job, earlier step: a failing step stops the job, so the upload never happens
    assert tests and tests[0] < upload_step
    deploy = [job for job in jobs.values()
              if any(s.get("uses", "").startswith("actions/deploy-pages") for s in job["steps"])]
    assert deploy
    for job in deploy:
        needs = job.get("needs", [])
        assert build_name in ([needs] if isinstance(needs, str) else needs)


def test_every_pull_request_runs_ci():
    workflow = load("ci.yml")
    assert "pull_request" in workflow["on"]
    assert any(steps_running(job, RUN_CI) for job in workflow["jobs"].values())


@pytest.mark.parametrize("name", ["pages.yml", "ci.yml"])
def test_runs_where_the_browser_tests_can(name):
    # .ci/run installs Debian's chromium with apt as root, for /usr/bin/chromium and
    # /usr/bin/chromedriver: a Debian container (Ubuntu's chromium package only installs a snap)
    jobs = [job for job in load(name)["jobs"].values() if steps_running(job, RUN_CI)]
    assert jobs and all(str(job.get("container", "")).startswith("debian:") for job in jobs)
